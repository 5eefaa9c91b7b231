"""Every page of the portal, filled with data: a small demo store plus one row of each kind the
demo does not make (content drafts, a reply draft, a complaint topic, imports, jobs, a channel).

Shared by the translation audit (tests/i18n) and the accessibility audit (tests/a11y): both
render each page with the test client and check the HTML with `tests/ui_audit.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from core.demo import DEMO_SLUG, DEMO_USERS, SECOND_USERS, demo_delete, demo_seed
from crisis.models import Alert, Crisis
from forecasting.models import ForecastRun
from jobs.models import JobKind, JobStatus
from reviews.models import ComplaintTopic, Review
from tests.content.factories import ContentDraftFactory, flagged_draft
from tests.imports_pages.factories import ImportBatchFactory, finished_batch
from tests.jobs.factories import JobFactory
from tests.notifications.factories import ChannelFactory, DeliveryFactory
from tests.review_llm.factories import ReplyDraftFactory
from tests.review_pages.factories import TopicFactory

# A Wednesday in June, as in tests/demo: no store-wide sale in the last weeks.
TODAY = dt.date(2025, 6, 18)
SMALL = {"products": 30, "days": 120, "reviews": 300}
OWNER_USERNAME = DEMO_USERS[0][0]


@dataclass
class PortalStore:
    """The seeded demo store and the objects whose pages are audited."""

    merchant: object
    owner: object
    product: object
    review: object
    topic: object | None
    crisis: object
    alert: object
    run: object
    draft: object
    batch: object
    uploaded_batch: object
    job: object
    channel: object


def portal_store_build() -> PortalStore:
    """Seed the small demo, then add what it leaves empty. Call inside an unblocked database."""
    demo_seed(**SMALL, today=TODAY)
    owner = get_user_model().objects.get(username=OWNER_USERNAME)
    merchant = owner.memberships.get(merchant__slug=DEMO_SLUG).merchant
    crisis = Crisis.objects.filter(merchant=merchant).order_by("-money_at_risk").first()
    product = crisis.product if crisis and crisis.product_id else merchant.products.first()
    review = Review.objects.filter(merchant=merchant, product=product).first() or (
        Review.objects.filter(merchant=merchant).first()
    )
    draft = ContentDraftFactory(product=product, merchant=merchant)
    flagged_draft(product=product, merchant=merchant, kind="title")
    ReplyDraftFactory(review=review, product=review.product, merchant=merchant)
    job = JobFactory(
        merchant=merchant,
        kind=JobKind.IMPORT,
        status=JobStatus.FAILED,
        error="The file could not be read.",
    )
    JobFactory(merchant=merchant, status=JobStatus.RUNNING)
    channel = ChannelFactory(merchant=merchant)
    topic = ComplaintTopic.objects.filter(merchant=merchant).first() or TopicFactory(
        product=product, merchant=merchant, size=3, example_review_ids=[review.pk]
    )
    DeliveryFactory(channel=channel)
    return PortalStore(
        merchant=merchant,
        owner=owner,
        product=product,
        review=review,
        topic=topic,
        crisis=crisis,
        alert=Alert.objects.filter(merchant=merchant).first(),
        run=ForecastRun.objects.filter(merchant=merchant).order_by("-pk").first(),
        draft=draft,
        batch=finished_batch(merchant=merchant),
        uploaded_batch=ImportBatchFactory(merchant=merchant),
        job=job,
        channel=channel,
    )


def portal_store_remove() -> None:
    demo_delete()
    usernames = [user[0] for user in (*DEMO_USERS, *SECOND_USERS)]
    get_user_model().objects.filter(username__in=usernames).delete()


# Pages without an object in the URL, and pages of one object: name -> (URL argument, the
# PortalStore attribute whose pk fills it).
LIST_PAGES = (
    "dashboard",
    "product-list",
    "content-overview",
    "content-bulk",
    "review-list",
    "review-insights",
    "forecast-plan",
    "forecast-run-list",
    "forecast-settings",
    "crisis-board",
    "alert-list",
    "crisis-settings",
    "import-list",
    "import-new",
    "import-mapping-list",
    "job-list",
    "notification-list",
    "notification-preferences",
    "notification-channel-list",
    "notification-channel-create",
    "merchant-settings",
    "member-list",
    "password_change",
    "password_change_done",
)
OBJECT_PAGES = {
    "product-detail": ("product_id", "product"),
    "content-studio": ("product_id", "product"),
    "content-draft": ("draft_id", "draft"),
    "review-product-insights": ("product_id", "product"),
    "review-summary": ("product_id", "product"),
    "review-detail": ("review_id", "review"),
    "review-topic": ("topic_id", "topic"),
    "forecast-product": ("product_id", "product"),
    "forecast-run-detail": ("run_id", "run"),
    "crisis-detail": ("crisis_id", "crisis"),
    "alert-detail": ("alert_id", "alert"),
    "import-detail": ("batch_id", "batch"),
    "import-mapping": ("batch_id", "uploaded_batch"),
    "job-detail": ("job_id", "job"),
    "notification-channel-detail": ("channel_id", "channel"),
    "notification-channel-edit": ("channel_id", "channel"),
}
# Pages that need a query string to be more than a 404.
LIST_PAGE_QUERIES = {"notification-channel-create": "?kind=webhook"}
MEMBER_PAGES = (*LIST_PAGES, *OBJECT_PAGES)


def portal_pages(store: PortalStore) -> dict[str, str]:
    """Every HTML page a signed-in member opens, by URL name, with real objects in the URL."""
    pages = {name: reverse(name) + LIST_PAGE_QUERIES.get(name, "") for name in LIST_PAGES}
    for name, (argument, attribute) in OBJECT_PAGES.items():
        target = getattr(store, attribute)
        if target is not None:
            pages[name] = reverse(name, kwargs={argument: target.pk})
    return pages


PUBLIC_PAGES = ("login", "password_reset", "password_reset_done", "password_reset_complete")


def public_pages() -> dict[str, str]:
    """Pages anyone can open before signing in."""
    return {name: reverse(name) for name in PUBLIC_PAGES}


def client_for(user=None, *, language: str = "en") -> Client:
    """A test client speaking `language` the way a browser does (Accept-Language), signed in
    as `user` if given."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client
