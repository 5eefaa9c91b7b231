"""Another merchant's products, reviews, summaries, drafts and jobs are a 404 everywhere."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jobs.models import Job
from products.content.models import DraftStatus
from reviews.models import ReviewSummary
from tests.factories import ProductFactory, ReviewFactory

from .factories import ReplyDraftFactory, ReviewSummaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta(other_merchant, other_owner):
    product = ProductFactory(merchant=other_merchant, title="Beta kettle")
    review = ReviewFactory(product=product, rating=1, body="Beta secret complaint")
    summary = ReviewSummaryFactory(
        product=product,
        statements=[
            {
                "text": "Beta secret statement",
                "review_ids": [review.pk],
                "polarity": "negative",
                "method": "model",
            }
        ],
    )
    draft = ReplyDraftFactory(review=review, text="Beta secret reply", status=DraftStatus.APPROVED)
    return {"product": product, "review": review, "summary": summary, "draft": draft}


def test_alice_gets_404_for_betas_review_pages(owner_client, beta):
    review, product = beta["review"], beta["product"]
    for url, method in [
        (reverse("review-detail", kwargs={"review_id": review.pk}), "get"),
        (reverse("review-reply-generate", kwargs={"review_id": review.pk}), "post"),
        (reverse("review-summary", kwargs={"product_id": product.pk}), "get"),
        (reverse("review-summary-section", kwargs={"product_id": product.pk}), "get"),
        (reverse("review-summary-generate", kwargs={"product_id": product.pk}), "post"),
    ]:
        response = getattr(owner_client, method)(url)
        assert response.status_code == 404, url
        assert b"secret" not in response.content
    assert not Job.objects.exists()


def test_alice_gets_404_for_betas_objects_in_the_api(owner, beta):
    api = APIClient()
    api.force_login(owner)
    review, product, draft = beta["review"], beta["product"], beta["draft"]
    for url, method in [
        (f"/api/v1/products/{product.pk}/review-summaries/", "get"),
        (f"/api/v1/products/{product.pk}/review-summaries/", "post"),
        (f"/api/v1/products/{product.pk}/review-summaries/latest/", "get"),
        (f"/api/v1/reviews/{review.pk}/reply-drafts/", "get"),
        (f"/api/v1/reviews/{review.pk}/reply-drafts/", "post"),
        (f"/api/v1/content/drafts/{draft.pk}/publish/", "post"),
    ]:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 404, url
        assert b"secret" not in response.content
    review.refresh_from_db()
    assert review.reply_text == ""


def test_alices_summary_page_shows_only_her_summaries(owner_client, merchant, beta):
    product = ProductFactory(merchant=merchant)
    ReviewSummaryFactory(product=product, statements=[])
    html = owner_client.get(reverse("review-summary", kwargs={"product_id": product.pk}))
    assert b"secret" not in html.content
    assert ReviewSummary.objects.filter(merchant=merchant).count() == 1


def test_a_betas_reply_job_id_is_a_404_on_alices_review(owner_client, merchant, beta):
    from jobs.models import JobKind, JobStatus

    review = ReviewFactory(product=ProductFactory(merchant=merchant))
    job = Job.objects.create(
        merchant=beta["product"].merchant,
        kind=JobKind.CONTENT_GENERATE,
        title="Beta secret job",
        task_name="reviews.llm.tasks.llm_review_reply",
        task_kwargs={"review_id": review.pk},
        status=JobStatus.SUCCEEDED,
    )
    url = reverse("review-reply-job", kwargs={"review_id": review.pk, "job_id": job.pk})
    assert owner_client.get(url).status_code == 404
    detail = reverse("review-detail", kwargs={"review_id": review.pk}) + f"?job={job.pk}"
    assert b"secret" not in owner_client.get(detail).content
