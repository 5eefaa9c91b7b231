"""Jobs for the tenant isolation sweep (tests/test_tenant_isolation.py)."""

from django.utils import timezone

from jobs.models import JobStatus

from .factories import JobFactory


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    job = JobFactory(
        merchant=merchant,
        started_by=owner,
        title=f"{secret} import",
        status=JobStatus.FAILED,
        progress_message=f"{secret} progress",
        error=f"{secret} error",
        result={"note": secret},
        finished_at=timezone.now(),
    )
    # An active one too, so the header indicator of Alice's pages could leak it.
    JobFactory(merchant=merchant, started_by=owner, title=f"{secret} running", status="running")
    return {"job_id": job.pk}


def alice_objects(*, merchant, owner) -> None:
    JobFactory(merchant=merchant, started_by=owner, title="Alpha import", status=JobStatus.RUNNING)
