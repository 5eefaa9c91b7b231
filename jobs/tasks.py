"""Beat tasks that keep job rows true; the jobs themselves are declared with `@job_task`."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready

from .services import jobs_dispatch_pending, jobs_sweep


@shared_task(ignore_result=True)
def jobs_sweep_stale() -> dict:
    """Resend or fail jobs whose worker died; send jobs that never reached the broker."""
    report = jobs_sweep()
    return {"requeued": report.requeued, "failed": report.failed, "dispatched": report.dispatched}


@worker_ready.connect
def _dispatch_pending_on_worker_start(**kwargs) -> None:
    # A worker coming up usually means the broker is reachable again.
    jobs_dispatch_pending()
