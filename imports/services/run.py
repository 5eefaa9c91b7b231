"""Running an import: start it as a job, and the job's body.

`import_run` reads the stored file once, streaming (`iter_rows` -> `RowValidator` -> the
`Loader`'s staging table; a rejected row goes to a spool CSV as it is met), so memory stays at
one batch of rows whatever the file's size. Then, by mode:

- **all or nothing**: any problem and the import is `rejected`: the domain tables are never
  touched; the report, the first `IMPORT_MAX_STORED_ERRORS` problems and the rejected-rows CSV
  say what to fix;
- **valid rows**: the valid rows are loaded, the rejected ones come back as the CSV.

Everything the load writes (domain rows, derived daily sales, the import's own final state and
row errors) commits in ONE transaction, after the whole file was read: a crash, an error or a
cancel before the commit leaves the domain tables as they were. Re-importing a file changes
nothing (natural-key upserts, see `load.py`), so a job the sweeper sends again is safe.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import tempfile
import time
import zoneinfo
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Merchant
from core.exports import BOM, neutralise
from jobs.models import Job, JobKind, JobStatus
from jobs.runner import JobOutcome, JobRun
from jobs.services import JobCancelled, JobStateError, job_cancel, job_fail, job_submit

from ..models import ImportBatch, ImportKind, ImportMode, ImportRowError, ImportStatus
from ..parsing import ImportFileError, RowProblem, RowValidator, iter_rows
from .errors import ImportServiceError
from .load import Loader, LoadResult
from .uploads import file_info

logger = logging.getLogger(__name__)

RUN_TASK = "imports.tasks.import_run"
STARTABLE = (
    ImportStatus.UPLOADED,
    ImportStatus.REJECTED,
    ImportStatus.FAILED,
    ImportStatus.CANCELLED,
)
ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)
# The validator's code for a row none of whose mapped columns has a value: skipped, not rejected.
SKIPPED = "empty_row"
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")


def batch_rows() -> int:
    return max(100, int(getattr(settings, "IMPORT_BATCH_ROWS", 25_000)))


def max_stored_errors() -> int:
    return max(0, int(getattr(settings, "IMPORT_MAX_STORED_ERRORS", 1000)))


def import_url(batch: ImportBatch) -> str:
    """The import's page (the list when the pages are not installed)."""
    try:
        return reverse("import-detail", args=[batch.pk])
    except NoReverseMatch:
        try:
            return reverse("import-list")
        except NoReverseMatch:
            return ""


# --- Start and cancel ---------------------------------------------------------------------------


def import_start(*, batch: ImportBatch, user) -> Job:
    """Queue a configured import as an `import` job on the default queue.

    A batch that was rejected, failed or cancelled may be started again (after a new mapping,
    say). Raises `ImportServiceError` (`not_configured`, `already_running`, `already_loaded`).
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("merchant").get(pk=batch.pk)
        if batch.status in ACTIVE:
            raise ImportServiceError(
                "already_running", _("This import is already queued or running."), 409
            )
        if batch.status == ImportStatus.SUCCEEDED:
            raise ImportServiceError("already_loaded", _("This file has been loaded."), 409)
        if not batch.mapping:
            raise ImportServiceError(
                "not_configured", _("Choose which column holds which field first."), 409
            )
        job = job_submit(
            merchant=batch.merchant,
            kind=JobKind.IMPORT,
            title=_("Import of %(name)s") % {"name": batch.original_name},
            task_name=RUN_TASK,
            task_kwargs={"batch_id": batch.pk},
            started_by=user,
            queue="default",
            idempotent=True,
        )
        batch.job = job
        batch.status = ImportStatus.QUEUED
        batch.error_code = ""
        batch.error_message = ""
        batch.save(update_fields=["job", "status", "error_code", "error_message", "updated_at"])
    return job


def import_cancel(*, batch: ImportBatch, user=None) -> ImportBatch:
    """Cancel an import that has not finished. A queued one (or one waiting for its mapping)
    ends at once; a running one stops at its next progress report or between the steps of
    its load, and its transaction rolls back: nothing of it is written.

    Raises `ImportServiceError("already_finished")` for a finished import.
    """
    batch = ImportBatch.objects.select_related("job").get(pk=batch.pk)
    if batch.status not in (*ACTIVE, ImportStatus.UPLOADED):
        raise ImportServiceError("already_finished", _("This import has already finished."), 409)
    if batch.job is not None and batch.status in ACTIVE:
        try:
            job = job_cancel(job=batch.job)
        except JobStateError:
            job = batch.job
        if job.status != JobStatus.CANCELLED:
            return batch  # running: the worker marks the import cancelled when it stops
    ImportBatch.objects.filter(pk=batch.pk, status__in=(*ACTIVE, ImportStatus.UPLOADED)).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now(), updated_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# --- The job's body -----------------------------------------------------------------------------


def import_run(
    *, batch_id: int, job_id: int | None = None, run: JobRun | None = None
) -> JobOutcome | None:
    """Read, validate and load one import (the body of `imports.tasks.import_run`).

    `run` is the job's `JobRun` (progress, cancel); `job_id` builds one for a direct call; with
    neither, the import runs without a job (the shell). Returns the job's outcome; a rejected
    or unreadable file ends the job as failed with the reason, its import as `rejected` or
    `failed`. Safe to run again: an import its job already finished is not redone, any other
    one is read again from the start.
    """
    if run is None and job_id is not None:
        run = JobRun(Job.objects.select_related("merchant").get(pk=job_id))
    batch = ImportBatch.objects.select_related("merchant").filter(pk=batch_id).first()
    if batch is None:
        return None
    if run is not None and batch.job_id == run.job_id and batch.status == ImportStatus.SUCCEEDED:
        return _outcome(batch)  # a redelivered message: the work is done
    # Row problems, the rejected-rows CSV and the job's messages in the store's language.
    with translation.override(batch.merchant.default_language):
        return _execute_reporting(batch, run)


def _execute_reporting(batch: ImportBatch, run: JobRun | None) -> JobOutcome | None:
    """`_execute`, and what an import that stops becomes."""
    try:
        return _execute(batch, run)
    except JobCancelled:
        _close(batch, ImportStatus.CANCELLED, code="cancelled", message=_("Cancelled."))
        raise
    except ImportFileError as exc:
        _close(batch, ImportStatus.FAILED, code=exc.code, message=exc.message)
        _fail_job(run, exc.message, exc.code)
        return None
    except Exception:
        logger.exception("import %s failed", batch.pk)
        _close(
            batch,
            ImportStatus.FAILED,
            code="internal_error",
            message=_("The import stopped on an unexpected error; nothing was loaded."),
        )
        raise


class _Spool:
    """The rejected rows as a CSV (UTF-8 with BOM, so Excel reads Chinese text): the row
    number, the file's own cells, and what is wrong. Written as rows are met."""

    def __init__(self, headers: list[str]):
        self.headers = headers
        handle, self.path = tempfile.mkstemp(prefix="import-rejected-", suffix=".csv")
        self.file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self.file.write(BOM)
        self.writer = csv.writer(self.file)
        self.writer.writerow([_("Row"), *map(_cell, headers), _("Problems")])
        self.rows = 0

    def write(self, row: int, cells: list[str], problems: list[RowProblem]) -> None:
        self.writer.writerow(
            [row, *map(_cell, cells), " ".join(_cell(p.message) for p in problems)]
        )
        self.rows += 1

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()

    def remove(self) -> None:
        self.close()
        Path(self.path).unlink(missing_ok=True)


def _cell(text) -> str:
    """A cell as written to the rejected-rows CSV: formulas neutralised, numbers (a negative
    quantity the user must see) left alone."""
    text = str(text)
    return text if _NUMBER.match(text) else neutralise(text)


class _Reading:
    """What one pass over the file found."""

    def __init__(self, *, headers: list[str], stored_limit: int):
        self.rows = 0
        self.valid = 0
        self.rejected = 0
        self.skipped = 0
        self.problems = 0
        self.by_column: Counter = Counter()
        self.by_code: Counter = Counter()
        self.stored: list[RowProblem] = []
        self.stored_limit = stored_limit
        self.spool = _Spool(headers)

    def reject(self, row: int, cells: list[str], problems: list[RowProblem]) -> None:
        self.rejected += 1
        self.problems += len(problems)
        for found in problems:
            self.by_column[found.column or ""] += 1
            self.by_code[found.code] += 1
            if len(self.stored) < self.stored_limit:
                self.stored.append(found)
        self.spool.write(row, cells, problems)


def _execute(batch: ImportBatch, run: JobRun | None) -> JobOutcome | None:
    started = time.perf_counter()
    merchant: Merchant = batch.merchant
    if run is not None and batch.job_id != run.job_id:
        batch.job_id = run.job_id  # a retried job is the import's job from now on
    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now()
    batch.finished_at = None
    batch.error_code = batch.error_message = ""
    batch.save(
        update_fields=[
            "job",
            "status",
            "started_at",
            "finished_at",
            "error_code",
            "error_message",
            "updated_at",
        ]
    )
    path = batch.file.path
    info = file_info(batch)
    validator = RowValidator(
        kind=batch.kind,
        mapping=batch.mapping,
        options={**(batch.options or {}), "preset": batch.preset},
        tz=zoneinfo.ZoneInfo(merchant.timezone),
        headers=list(info.headers),
    )
    size = max(1, batch.size_bytes)
    estimate = _rows_estimate(info, size)
    progress_every = batch_rows()
    reading = _Reading(headers=list(info.headers), stored_limit=max_stored_errors())
    loader = Loader(
        merchant=merchant,
        kind=batch.kind,
        options=batch.options,
        batch=batch,
        batch_rows=progress_every,
        stream=_stream(),
    )
    all_or_nothing = batch.mode == ImportMode.ALL_OR_NOTHING
    try:
        with loader:
            if run is not None:
                run.progress(done=0, total=estimate, message=_("Reading the file"))
            for row, cells in iter_rows(path, info):
                reading.rows += 1
                record, problems = validator.validate(row, cells)
                if record is not None and not problems:
                    refused = loader.add(row, record)
                    problems = [refused] if refused is not None else []
                elif all(found.code == SKIPPED for found in problems):
                    reading.skipped += 1  # nothing to load in it (a Shopify image row)
                    continue
                if problems:
                    reading.reject(row, cells, problems)
                    if all_or_nothing and not loader.stopped:
                        loader.stop()  # nothing will be loaded: only the report is left to do
                else:
                    reading.valid += 1
                if run is not None and reading.rows % progress_every == 0:
                    estimate = max(estimate, reading.rows + progress_every)
                    run.progress(
                        done=reading.rows,
                        total=estimate,
                        message=_("%(rows)d rows read") % {"rows": reading.rows},
                    )
            loader.finish_staging()
            reading.spool.close()
            read_seconds = time.perf_counter() - started
            refusal = _refusal(batch, reading)
            if refusal is not None:
                return _reject(batch, run, reading, loader, refusal, read_seconds)
            if run is not None:
                run.progress(
                    done=reading.rows,
                    total=reading.rows,
                    message=_("Writing %(rows)d rows") % {"rows": reading.valid},
                )
            return _load(batch, run, reading, loader, read_seconds, started)
    finally:
        reading.spool.remove()


def _rows_estimate(info, size: int) -> int:
    """Rows in the file, guessed from its size and the preview's rows (the progress bar's
    total until the reading is done)."""
    if getattr(info, "estimated_rows", 0):
        return max(1, int(info.estimated_rows))
    preview = list(getattr(info, "preview", None) or [])
    if not preview:
        return max(1, size // 100)
    delimiter = getattr(info, "delimiter", "") or ","
    per_row = sum(len(delimiter.join(map(str, cells)).encode()) + 2 for cells in preview)
    return max(len(preview), int(size / max(1, per_row / len(preview))))


def _refusal(batch: ImportBatch, reading: _Reading) -> tuple[str, str] | None:
    """Why the import loads nothing, or None."""
    if reading.rows == 0:
        return "no_rows", _("The file has no data rows below its header.")
    if batch.mode == ImportMode.ALL_OR_NOTHING and reading.rejected:
        return "rejected", _(
            "Nothing was loaded: %(rejected)d of %(rows)d rows have problems. Fix them (the "
            "rejected rows are in the CSV to download) and import the file again, or choose "
            "to load the valid rows only."
        ) % {"rejected": reading.rejected, "rows": reading.rows}
    if not reading.valid:
        return "no_valid_rows", _("Nothing was loaded: none of the %(rows)d rows is valid.") % {
            "rows": reading.rows
        }
    return None


def _report(batch: ImportBatch, reading: _Reading, loader: Loader, **extra) -> dict:
    report = {
        "mode": batch.mode,
        "problems": reading.problems,
        "errors_by_column": dict(reading.by_column.most_common()),
        "errors_by_code": dict(reading.by_code.most_common()),
        "errors_stored": len(reading.stored),
        "skipped_rows": reading.skipped,
        "unknown_sku_count": len(loader.unknown),
    }
    report.update(extra)
    return report


def _save_rejected_file(batch: ImportBatch, reading: _Reading) -> None:
    if not reading.rejected:
        batch.rejected_file = ""
        return
    stem = Path(batch.original_name).stem[:80] or "import"
    with open(reading.spool.path, "rb") as handle:
        batch.rejected_file.save(f"{stem}-rejected-{batch.pk}.csv", File(handle), save=False)


def _store_errors(batch: ImportBatch, reading: _Reading) -> None:
    ImportRowError.objects.filter(batch=batch).delete()
    ImportRowError.objects.bulk_create(
        [
            ImportRowError(
                batch=batch,
                row_number=max(0, found.row),
                column=(found.column or "")[:255],
                value=(found.value or "")[:255],
                code=found.code[:40],
                message=found.message[:500],
            )
            for found in reading.stored
        ],
        batch_size=500,
    )


def _counts(batch: ImportBatch, reading: _Reading, loader: Loader) -> None:
    batch.rows_total = reading.rows
    batch.rows_valid = reading.valid
    batch.rows_rejected = reading.rejected
    batch.unknown_skus = loader.unknown_skus


def _reject(batch, run, reading, loader, refusal, read_seconds) -> None:
    code, message = refusal
    _counts(batch, reading, loader)
    batch.rows_created = batch.rows_updated = batch.rows_unchanged = 0
    batch.report = _report(batch, reading, loader, seconds={"read": round(read_seconds, 3)})
    _save_rejected_file(batch, reading)
    with transaction.atomic():
        _store_errors(batch, reading)
        _finish(batch, ImportStatus.REJECTED, code=code, message=message)
    _fail_job(run, message, code)
    return None


def _stream() -> bool:
    """Load while reading (see `Loader`): PostgreSQL, called outside any transaction (a
    worker), unless IMPORT_STREAM_LOAD is off."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and bool(getattr(settings, "IMPORT_STREAM_LOAD", True))
    )


def _load(batch, run, reading, loader, read_seconds, started) -> JobOutcome:
    job_id = run.job_id if run is not None else None

    def check() -> None:
        # A read only: writing the job row inside the load's transaction would lock it until
        # the commit (the heartbeat and a user's cancel would wait on us).
        if job_id is not None and Job.objects.filter(pk=job_id, cancel_requested=True).exists():
            raise JobCancelled

    def loaded(result: LoadResult) -> None:
        """The import's own final state, in the load's transaction."""
        check()
        total_seconds = time.perf_counter() - started
        batch.rows_created = result.created
        batch.rows_updated = result.updated
        batch.rows_unchanged = result.unchanged
        batch.report = _report(
            batch,
            reading,
            loader,
            **_result_report(result),
            next_steps=_next_steps(batch.kind, result),
            # "streamed": written while the file was read (PostgreSQL worker); "staged":
            # written after it, from the staging table.
            load_mode="streamed" if loader.stream else "staged",
            seconds={
                "read": round(read_seconds, 3),
                "load": round(time.perf_counter() - load_started, 3),
                "total": round(total_seconds, 3),
            },
            rows_per_second=round(reading.rows / total_seconds) if total_seconds else 0,
        )
        _store_errors(batch, reading)
        _finish(batch, ImportStatus.SUCCEEDED)

    _counts(batch, reading, loader)
    _save_rejected_file(batch, reading)
    load_started = time.perf_counter()
    try:
        loader.load(check=check, on_loaded=loaded)
    except BaseException:
        if batch.rejected_file:
            batch.rejected_file.delete(save=False)
        raise
    return _outcome(batch)


def _result_report(result: LoadResult) -> dict:
    return {
        "duplicates": result.duplicates,
        "products_created": result.products_created,
        **result.extra,
    }


def _next_steps(kind: str, result: LoadResult) -> list[str]:
    """What happens after the load, for the import page: `crisis_scan` (queued now),
    `forecast_nightly` (new history is forecast by the nightly run), `review_analysis`."""
    if kind == ImportKind.REVIEWS:
        return ["review_analysis"] if result.extra.get("analysis_requested") else []
    if kind in (ImportKind.ORDERS, ImportKind.SALES, ImportKind.STOCK):
        changed = result.created + result.updated
        if kind == ImportKind.ORDERS:
            changed = result.extra.get("daily_sales", {}).get("recomputed", 0)
        if not changed:
            return []
        steps = ["crisis_scan"]
        if kind != ImportKind.STOCK:
            steps.append("forecast_nightly")
        return steps
    return []


def _finish(batch: ImportBatch, status: str, *, code: str = "", message: str = "") -> None:
    batch.status = status
    batch.error_code = code[:40]
    batch.error_message = message
    batch.finished_at = timezone.now()
    batch.save()


def _close(batch: ImportBatch, status: str, *, code: str, message: str) -> None:
    """End an import that stopped before or during its load (nothing of it was written)."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status,
        error_code=code[:40],
        error_message=message,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _fail_job(run: JobRun | None, message: str, code: str) -> None:
    """End the job as failed with the import's own reason (the runner's success that follows
    finds the job finished and changes nothing)."""
    if run is not None:
        job_fail(job_id=run.job_id, error=message, error_code=code, task_id=run.task_id)


def _outcome(batch: ImportBatch) -> JobOutcome:
    report = batch.report or {}
    summary = {
        "batch_id": batch.pk,
        "status": batch.status,
        "rows": batch.rows_total,
        "valid": batch.rows_valid,
        "rejected": batch.rows_rejected,
        "created": batch.rows_created,
        "updated": batch.rows_updated,
        "unchanged": batch.rows_unchanged,
        "unknown_skus": report.get("unknown_sku_count", len(batch.unknown_skus or [])),
    }
    if "daily_sales" in report:
        summary["daily_sales"] = report["daily_sales"]
    message = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
        "created": batch.rows_created,
        "updated": batch.rows_updated,
        "unchanged": batch.rows_unchanged,
    }
    if batch.rows_rejected:
        message += "; " + _("%(rejected)d rows rejected") % {"rejected": batch.rows_rejected}
    if "forecast_nightly" in report.get("next_steps", []):
        message += ". " + _("Forecasts include the new sales after tonight's run.")
    return JobOutcome(summary=summary, url=import_url(batch), message=message)
