"""Content studio objects for the tenant isolation sweep (tests/test_tenant_isolation.py)."""

from django.utils import timezone

from jobs.models import Job, JobKind, JobStatus
from tests.factories import ProductFactory

from .factories import ContentDraftFactory, ContentVersionFactory


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    product = ProductFactory(merchant=merchant, sku=f"{secret}-copy", title=f"{secret} flask")
    job = Job.objects.create(
        merchant=merchant,
        kind=JobKind.CONTENT_BULK,
        title=f"{secret} bulk generation",
        task_name="products.content.tasks.llm_bulk_generate",
        status=JobStatus.SUCCEEDED,
        result={"failed": [{"product_id": 1, "sku": secret, "error": secret}]},
        finished_at=timezone.now(),
    )
    draft = ContentDraftFactory(
        product=product, job=job, text=f"{secret} draft text", created_by=owner
    )
    version = ContentVersionFactory(product=product, text=f"{secret} old bullets")
    ContentVersionFactory(product=product, text=f"{secret} bullets now", is_current=True)
    return {"draft_id": draft.pk, "version_id": version.pk, "job_id": job.pk}


def alice_objects(*, merchant, owner) -> None:
    product = ProductFactory(merchant=merchant)
    ContentDraftFactory(product=product, created_by=owner)
    ContentVersionFactory(product=product, is_current=True)
