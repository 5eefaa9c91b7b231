"""For views of other apps that start a job: tell the user how the start went.

job = job_submit(merchant=request.merchant, kind=..., started_by=request.user, ...)
job_started_message(request, job)
return redirect(...)
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Job, JobStatus


def job_started_message(request, job: Job) -> None:
    """Add a flash message about `job` once the current transaction has committed.

    By then `job_submit` has tried the broker: the message says the job started, or (warning)
    that the task queue is unreachable and the job is kept and sent as soon as it is back.
    Works inside and outside `transaction.atomic()`; call it right after `job_submit`.
    """

    def tell() -> None:
        current = Job.objects.filter(pk=job.pk).first()
        if current is None:
            return
        job.__dict__.update(
            {
                name: getattr(current, name)
                for name in ("status", "enqueued_at", "enqueue_error", "error", "finished_at")
            }
        )
        if current.waiting_for_queue:
            messages.warning(
                request,
                _(
                    "“%(title)s” could not be started right now: the task queue is unreachable. "
                    "The job is kept and starts as soon as the queue is back."
                )
                % {"title": current.title},
            )
        elif current.status == JobStatus.FAILED:
            text = _("“%(title)s” failed; see the job for details.")
            messages.error(request, text % {"title": current.title})
        elif current.status == JobStatus.SUCCEEDED:
            messages.success(request, _("“%(title)s” finished.") % {"title": current.title})
        else:
            text = _("“%(title)s” started. Follow its progress under Jobs.")
            messages.success(request, text % {"title": current.title})

    transaction.on_commit(tell)
