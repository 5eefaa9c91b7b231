"""Import tasks, on the `default` queue. Thin: the job's body is `imports.services.import_run`."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

from jobs.runner import JobRun, job_task

from .services.run import RUN_TASK
from .services.run import import_run as import_run_service


# A dropped database connection may succeed when tried again; the import is idempotent (a
# second run re-reads the file and changes only what the first did not commit).
@job_task(name=RUN_TASK, transient=(OperationalError, InterfaceError))
def import_run(run: JobRun, *, batch_id: int):
    """Read, validate and load one uploaded file (`ImportBatch` `batch_id`)."""
    return import_run_service(batch_id=batch_id, run=run)
