"""Review language-model objects for the tenant isolation sweep (tests/test_tenant_isolation.py).

The pages and endpoints take `review_id`, `product_id` and `job_id`, which the sweep and the
content studio already provide; these add Beta's summary, reply draft and reply job, all
carrying the secret, so that a leak through any of them is caught."""

from django.utils import timezone

from jobs.models import Job, JobKind, JobStatus
from tests.factories import ProductFactory, ReviewFactory

from .factories import ReplyDraftFactory, ReviewSummaryFactory


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    product = ProductFactory(merchant=merchant, sku=f"{secret}-said", title=f"{secret} mug")
    review = ReviewFactory(product=product, rating=1, title=secret, body=f"{secret} lid leaks")
    ReviewSummaryFactory(
        product=product,
        statements=[
            {
                "text": f"{secret} statement",
                "review_ids": [review.pk],
                "polarity": "negative",
                "method": "model",
            }
        ],
    )
    job = Job.objects.create(
        merchant=merchant,
        kind=JobKind.CONTENT_GENERATE,
        title=f"{secret} reply job",
        task_name="reviews.llm.tasks.llm_review_reply",
        task_kwargs={"review_id": review.pk},
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
    )
    ReplyDraftFactory(review=review, job=job, text=f"{secret} reply draft", created_by=owner)
    return {}


def alice_objects(*, merchant, owner) -> None:
    product = ProductFactory(merchant=merchant)
    review = ReviewFactory(product=product, rating=2, body="Lid leaks")
    ReviewSummaryFactory(
        product=product,
        statements=[
            {
                "text": "Lids leak.",
                "review_ids": [review.pk],
                "polarity": "negative",
                "method": "model",
            }
        ],
    )
    ReplyDraftFactory(review=review, created_by=owner)
