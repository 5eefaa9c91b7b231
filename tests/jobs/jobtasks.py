"""Job tasks used by the jobs tests (a real worker loads them with `--include`)."""

from __future__ import annotations

import time

from jobs.models import Job
from jobs.runner import JobOutcome, JobRun, job_task
from jobs.services import job_cancel


class FlakyUpstream(ConnectionError):
    """A transient error: the runner retries it."""


class BadInput(ValueError):
    code = "bad_input"


@job_task(name="tests.jobs.count_items")
def count_items(run: JobRun, *, items: int, step_sleep: float = 0.0):
    run.progress(done=0, total=items, message="Counting")
    for done in range(1, items + 1):
        if step_sleep:
            time.sleep(step_sleep)
        run.progress(done=done, message=f"Counted {done}")
    return JobOutcome(summary={"counted": items, "label": "<b>bold</b>"}, url="/jobs/")


@job_task(name="tests.jobs.broken")
def broken(run: JobRun):
    run.progress(done=1, total=4)
    raise BadInput("row 3 has no SKU")


@job_task(name="tests.jobs.flaky", transient=(FlakyUpstream,), max_retries=2, retry_backoff=1)
def flaky(run: JobRun):
    Job.objects.filter(pk=run.job_id).update(result={"retries_seen": run.retries})
    raise FlakyUpstream("upstream timed out")


@job_task(name="tests.jobs.cancelled_while_running")
def cancelled_while_running(run: JobRun):
    run.progress(done=1, total=3)
    # A user presses "Cancel" while the job runs: the next progress report stops it.
    job_cancel(job=Job.objects.get(pk=run.job_id))
    run.progress(done=2)
    raise AssertionError("progress after a cancel must raise JobCancelled")


@job_task(name="tests.jobs.chunked")
def chunked(run: JobRun, *, chunk_sizes: list[int], expected: int):
    run.progress(total=expected)
    for size in chunk_sizes:
        run.progress(advance=size)
    return {"chunks": len(chunk_sizes)}
