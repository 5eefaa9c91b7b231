"""Forecast runs: one `ForecastRun` per forecast of a merchant's SKUs, split into chunks.

    forecast_run_start           ForecastRun (queued) + Job on the `forecast` queue
      -> tasks.forecast_run_execute -> forecast_run_dispatch
           claims the job, fixes the panel's end date (the merchant's last sales day), splits
           the products into chunks (contiguous product-id ranges), sends one
           `tasks.forecast_chunk` per chunk (a Celery group: more workers finish sooner)
      -> tasks.forecast_chunk       -> forecast_chunk_run (or forecast_chunk_fail)
           loads the chunk's history, calls the engine; under the run's row lock writes the
           chunk's `SkuForecast` rows (flipping `is_current`) and marks the chunk `saved` in
           the run's ledger (`parameters["chunks"][i]`); refreshes the plans of the chunk's
           products; under the lock again marks it `done` and adds its counts and timings
      -> forecast_run_finish        called by whichever chunk completes the count: metrics,
           chosen models, status (succeeded / partial / failed), job finished + notified

Why a ledger under a row lock rather than a chord: a chunk is recorded exactly once whatever
Celery does (a redelivered message finds its chunk recorded and stops), a chunk that finally
fails is counted and named in the run's error, and the run needs nothing from the result
backend. A run started by `forecast_run_sync` (demo seed, tests, benchmarks) takes the same
path in-process without a job.

The job stays `running` while its chunks work; each chunk task keeps the job's heartbeat (see
`forecasting.tasks`). If the jobs sweeper resends the job (its workers died), the new
dispatch sends the chunks not yet recorded under the job's new Celery id, and the old messages
(which carry the old id as their `token`) do nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import resource
import socket
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crisis.services.scan import crisis_scan_start_on_commit
from jobs.models import ACTIVE_STATUSES as JOB_ACTIVE_STATUSES
from jobs.models import FINISHED_STATUSES as FINISHED_JOB_STATUSES
from jobs.models import Job, JobKind, JobStatus
from jobs.services import (
    BROKER_ERRORS,
    job_begin,
    job_fail,
    job_mark_cancelled,
    job_progress,
    job_submit,
    job_succeed,
)
from products.models import Product

from ..models import (
    DailySales,
    ForecastRun,
    ForecastRunStatus,
    ForecastRunTrigger,
    Frequency,
    SkuForecast,
)
from ..selectors.history import (
    DAYS_PER_PERIOD,
    ProductHistory,
    calendar_inputs,
    history_load,
    sales_frequency_guess,
    sales_last_date,
)
from .plans import planning_settings_get, plans_refresh

logger = logging.getLogger(__name__)

RUN_TASK = "forecasting.tasks.forecast_run_execute"
CHUNK_TASK = "forecasting.tasks.forecast_chunk"
QUANTILES = (0.1, 0.5, 0.9)
ACTIVE_RUN_STATUSES = (ForecastRunStatus.QUEUED, ForecastRunStatus.RUNNING)
FINISHED_RUN_STATUSES = (
    ForecastRunStatus.SUCCEEDED,
    ForecastRunStatus.PARTIAL,
    ForecastRunStatus.FAILED,
)
# A run without a job (forecast_run_sync) that has not moved for this long died with its process.
SYNC_RUN_STALE = dt.timedelta(hours=6)
MAX_ERROR_CHARS = 10_000
# A chunk's ledger entry: no status (to do), saved (forecasts written, plans not yet), done or
# failed (counted).
SAVED_CHUNK, DONE_CHUNK, FAILED_CHUNK = "saved", "done", "failed"
RECORDED_CHUNK = (DONE_CHUNK, FAILED_CHUNK)


def chunk_size() -> int:
    return max(1, int(getattr(settings, "FORECAST_CHUNK_SIZE", 500)))


def engine_threads() -> int:
    # One thread per chunk by default: workers scale out by processes (one per core), and a
    # chunk that grabbed every core would only slow its neighbours down.
    return max(1, int(getattr(settings, "FORECAST_ENGINE_THREADS", 1)))


def history_days() -> int:
    return max(28, int(getattr(settings, "FORECAST_HISTORY_DAYS", 1096)))


# --- Starting a run ------------------------------------------------------------------------------


def forecast_runs_release_dead(*, merchant=None) -> int:
    """End active runs (of `merchant`, or of everyone) that can no longer finish: their job
    ended (the sweeper failed it, a user cancelled it before it started) or, for in-process
    runs, nothing moved for hours. Returns how many were ended."""
    now = timezone.now()
    runs = (
        ForecastRun.objects.all()
        if merchant is None
        else ForecastRun.objects.filter(merchant=merchant)
    )
    dead = runs.filter(status__in=ACTIVE_RUN_STATUSES).filter(
        Q(job__isnull=False) & ~Q(job__status__in=JOB_ACTIVE_STATUSES)
        | Q(job__isnull=True, updated_at__lt=now - SYNC_RUN_STALE)
    )
    return dead.update(
        status=ForecastRunStatus.FAILED,
        finished_at=now,
        error=_("The run stopped before all its chunks were done (its job ended)."),
    )


def _products_clean(*, merchant, product_ids: Iterable[int] | None) -> list[int] | None:
    if product_ids is None:
        return None
    wanted = sorted({int(pk) for pk in product_ids})
    if not wanted:
        raise ValidationError(
            {"product_ids": ValidationError(_("Select at least one product."), code="no_products")}
        )
    owned = set(
        Product.objects.filter(merchant=merchant, pk__in=wanted).values_list("pk", flat=True)
    )
    unknown = [pk for pk in wanted if pk not in owned]
    if unknown:
        message = _("These products do not exist: %(ids)s.") % {"ids": unknown[:20]}
        raise ValidationError({"product_ids": ValidationError(message, code="unknown_products")})
    return wanted


def _run_create(
    *,
    merchant,
    trigger: str,
    product_ids: Iterable[int] | None,
    frequency: str | None,
) -> ForecastRun:
    """Validate and write a queued run (callers hold a transaction)."""
    planning = planning_settings_get(merchant=merchant, lock=True)  # one start at a time
    forecast_runs_release_dead(merchant=merchant)
    if ForecastRun.objects.filter(merchant=merchant, status__in=ACTIVE_RUN_STATUSES).exists():
        raise ValidationError(
            _("A forecast run is already in progress for this store."), code="run_active"
        )
    if trigger not in ForecastRunTrigger.values:
        raise ValidationError(_("Unknown trigger."), code="invalid_trigger")
    wanted = _products_clean(merchant=merchant, product_ids=product_ids)
    sales = DailySales.objects.filter(merchant=merchant)
    if wanted is not None:
        sales = sales.filter(product_id__in=wanted)
    if not sales.exists():
        raise ValidationError(
            _("There are no sales to forecast from yet: import sales first."), code="no_sales"
        )
    if frequency is None:
        frequency = sales_frequency_guess(merchant=merchant)
    if frequency not in Frequency.values:
        raise ValidationError(_("Unknown forecast frequency."), code="invalid_frequency")
    step = DAYS_PER_PERIOD[frequency]
    horizon = math.ceil(planning.horizon_days / step)
    return ForecastRun.objects.create(
        merchant=merchant,
        status=ForecastRunStatus.QUEUED,
        trigger=trigger,
        frequency=frequency,
        horizon=horizon,
        parameters={
            "product_ids": wanted,
            "quantiles": list(QUANTILES),
            "horizon_days": planning.horizon_days,
            "history_days": history_days(),
            "chunk_size": chunk_size(),
        },
    )


def _job_title(run: ForecastRun, product_ids: list[int] | None) -> str:
    if product_ids is None:
        return _("Forecast of all products")
    return ngettext(
        "Forecast of %(count)d product", "Forecast of %(count)d products", len(product_ids)
    ) % {"count": len(product_ids)}


@transaction.atomic
def forecast_run_start(
    *,
    merchant,
    started_by=None,
    trigger: str = ForecastRunTrigger.MANUAL,
    product_ids: list[int] | None = None,
    frequency: str | None = None,
    queue: str | None = None,
) -> ForecastRun:
    """Start a forecast of the merchant's products (all, or `product_ids`) as a job.

    The job is sent to the `forecast` queue (or `queue`) once the transaction commits.
    `frequency` "D" or "W"; by default weekly when the merchant's sales are weekly rows.
    Raises `ValidationError` with code `run_active` (a run is queued or running),
    `no_sales`, `no_products`, `unknown_products`, `invalid_frequency` or `invalid_trigger`.
    """
    run = _run_create(
        merchant=merchant, trigger=trigger, product_ids=product_ids, frequency=frequency
    )
    job = job_submit(
        merchant=merchant,
        kind=JobKind.FORECAST_RUN,
        title=_job_title(run, run.parameters["product_ids"]),
        task_name=RUN_TASK,
        task_kwargs={"run_id": run.pk},
        started_by=started_by,
        queue=queue,
    )
    run.job = job
    run.save(update_fields=["job", "updated_at"])
    return run


# --- Planning and sending the chunks -------------------------------------------------------------


def _selected_ids(run: ForecastRun) -> list[int]:
    wanted = run.parameters.get("product_ids")
    products = Product.objects.filter(merchant_id=run.merchant_id)
    if wanted is not None:
        products = products.filter(pk__in=wanted)
    return list(products.order_by("pk").values_list("pk", flat=True))


def forecast_run_prepare(*, run_id: int) -> ForecastRun | None:
    """Fix the run's end date and chunks and mark it running (once; a second call returns the
    run as it is). None when the run is gone or already finished.

    A run with nothing to forecast (its products or sales were deleted meanwhile) fails here.
    """
    with transaction.atomic():
        run = ForecastRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in FINISHED_RUN_STATUSES:
            return None
        if run.status == ForecastRunStatus.RUNNING:
            return run
        ids = _selected_ids(run)
        end = sales_last_date(merchant=run.merchant, product_ids=ids) if ids else None
        now = timezone.now()
        run.started_at = now
        if end is None:
            run.status = ForecastRunStatus.FAILED
            run.finished_at = now
            run.error = _("There are no sales to forecast from.")
            run.save()
            return run
        size = int(run.parameters.get("chunk_size") or chunk_size())
        chunks = [
            {"first_id": part[0], "last_id": part[-1], "skus": len(part)}
            for part in (ids[start : start + size] for start in range(0, len(ids), size))
        ]
        run.status = ForecastRunStatus.RUNNING
        run.forecast_start = end + dt.timedelta(days=1)
        run.sku_total = len(ids)
        run.chunks_total = len(chunks)
        run.parameters = {**run.parameters, "end_date": end.isoformat(), "chunks": chunks}
        run.save()
    return run


def _run_url(run: ForecastRun) -> str:
    try:
        return reverse("forecast-run-detail", kwargs={"run_id": run.pk})
    except NoReverseMatch:
        return ""


def forecast_run_dispatch(*, job_id: int, run_id: int, task_id: str | None) -> int:
    """The job's task: claim the job, prepare the run, send its unrecorded chunks.

    Returns how many chunk tasks were sent. A run that is already over finishes its job.
    """
    job = job_begin(job_id=job_id, task_id=task_id)
    if job is None:
        # Nothing to run: the job was cancelled before it started, or it ended meanwhile.
        ForecastRun.objects.filter(
            pk=run_id, status__in=ACTIVE_RUN_STATUSES, job__status__in=FINISHED_JOB_STATUSES
        ).update(
            status=ForecastRunStatus.FAILED,
            finished_at=timezone.now(),
            error=_("The run's job ended before the forecast was done."),
        )
        return 0
    try:
        run = forecast_run_prepare(run_id=run_id)
        if run is None:
            run = ForecastRun.objects.filter(pk=run_id).first()
            if run is None:
                job_fail(
                    job_id=job_id,
                    task_id=task_id,
                    error=_("The forecast run was deleted."),
                    error_code="run_gone",
                )
                return 0
        if run.status in FINISHED_RUN_STATUSES:
            _job_finish(run, token=task_id or "")
            return 0
        token = Job.objects.filter(pk=job_id).values_list("celery_task_id", flat=True).first()
        pending = [
            index
            for index, chunk in enumerate(run.parameters["chunks"])
            if chunk.get("status") not in RECORDED_CHUNK
        ]
        job_progress(
            job_id=job_id,
            task_id=task_id,
            done=run.sku_done,
            total=run.sku_total,
            message=_("Forecasting %(count)d products in %(chunks)d chunks…")
            % {"count": run.sku_total, "chunks": run.chunks_total},
        )
        if not pending:
            forecast_run_finish(run_id=run.pk, token=token or "")
            return 0
        from ..tasks import forecast_chunks_send

        try:
            forecast_chunks_send(run_id=run.pk, chunks=pending, token=token or "", queue=job.queue)
        except BROKER_ERRORS as exc:
            # The job stays running without a heartbeat: the jobs sweeper sends it again after
            # JOBS_STALE_AFTER and that dispatch sends the chunks not yet recorded.
            logger.warning("forecast run %s: chunks not sent: %s", run_id, exc)
            job_progress(
                job_id=job_id,
                task_id=task_id,
                message=_("Waiting for the task queue to send the chunks…"),
            )
            return 0
        return len(pending)
    except Exception as exc:
        logger.exception("forecast run %s: dispatch failed", run_id)
        error = f"{type(exc).__name__}: {exc}"
        _run_fail(run_id=run_id, error=error)
        job_fail(job_id=job_id, task_id=task_id, error=error, error_code="dispatch_failed")
        return 0


def _run_fail(*, run_id: int, error: str) -> bool:
    return bool(
        ForecastRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
            status=ForecastRunStatus.FAILED,
            finished_at=timezone.now(),
            error=error[:MAX_ERROR_CHARS],
        )
    )


# --- One chunk ---------------------------------------------------------------------------------


class ChunkStale(Exception):
    """The chunk's message is no longer wanted: the run ended or the job was sent again."""


class RunCancelled(Exception):
    """A user cancelled the run's job."""


def _check_job(run: ForecastRun, token: str) -> None:
    """Raise `ChunkStale` / `RunCancelled` when this chunk must not (or no longer) work."""
    if run.status != ForecastRunStatus.RUNNING:
        raise ChunkStale
    if run.job_id is None:
        if token:
            raise ChunkStale
        return
    job = Job.objects.filter(pk=run.job_id).values("status", "celery_task_id", "cancel_requested")
    job = job.first()
    if job is None or job["status"] != JobStatus.RUNNING or job["celery_task_id"] != token:
        raise ChunkStale
    if job["cancel_requested"]:
        raise RunCancelled


def _chunk_product_ids(run: ForecastRun, chunk: dict) -> list[int]:
    products = Product.objects.filter(
        merchant_id=run.merchant_id, pk__range=(chunk["first_id"], chunk["last_id"])
    )
    wanted = run.parameters.get("product_ids")
    if wanted is not None:
        products = products.filter(pk__in=wanted)
    return list(products.order_by("pk").values_list("pk", flat=True))


def _period_index(day: dt.date, start: dt.date, step: int) -> int:
    return (day - start).days // step


def _series_build(
    histories: Sequence[ProductHistory],
    *,
    run: ForecastRun,
    promotions: Mapping[int, set[dt.date]],
):
    """Engine series: units, prices (history + current price ahead) and promotion flags
    (sales rows flagged on promotion, or a promotion day in the calendar, ahead too)."""
    from ..engine import Series

    step = DAYS_PER_PERIOD[run.frequency]
    horizon = run.horizon
    forecast_start = run.forecast_start
    series = []
    for history in histories:
        ahead_price = history.current_price or (
            float(history.prices[-1]) if len(history.prices) else 0.0
        )
        promo = np.concatenate([history.promo, np.zeros(horizon)])
        for day in promotions.get(history.product_id, ()):
            if day >= forecast_start:
                index = len(history.units) + _period_index(day, forecast_start, step)
            else:
                index = _period_index(day, history.start, step)
            if 0 <= index < len(promo):
                promo[index] = 1.0
        series.append(
            Series(
                key=history.product_id,
                values=history.units,
                start=history.start,
                category=history.category,
                prices=np.concatenate([history.prices, np.full(horizon, ahead_price)]),
                promo=promo,
            )
        )
    return series


def _clean(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _path(values) -> list[float]:
    array = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    return [round(float(v), 3) for v in np.maximum(array, 0.0)]


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@dataclass
class ChunkReport:
    """What one chunk did: returned to the task (and the benchmark)."""

    run_id: int
    chunk: int
    recorded: bool
    skus: int = 0
    seconds: float = 0.0
    finished_run: bool = False


@dataclass
class _Computed:
    rows: list[SkuForecast]
    missing: int
    timings: dict[str, float]
    model_versions: dict
    engine_parameters: dict


def _chunk_forecast(run: ForecastRun, ids: list[int], began: float) -> _Computed:
    """Load the chunk's history and calendar, run the engine, build the rows (no writes)."""
    from ..engine import ENGINE_VERSION, EngineConfig, forecast_panel

    merchant = run.merchant
    end = dt.date.fromisoformat(run.parameters["end_date"])
    histories = history_load(
        merchant=merchant,
        product_ids=ids,
        end=end,
        frequency=run.frequency,
        max_days=int(run.parameters.get("history_days") or history_days()),
    )
    computed = _Computed(rows=[], missing=0, timings={}, model_versions={}, engine_parameters={})
    results = {}
    if histories:
        origin = min(history.start for history in histories)
        horizon_end = run.forecast_start + dt.timedelta(
            days=run.horizon * DAYS_PER_PERIOD[run.frequency] - 1
        )
        calendar = calendar_inputs(
            merchant=merchant, product_ids=ids, start=origin, end=horizon_end
        )
        series = _series_build(histories, run=run, promotions=calendar.promotions)
        computed.timings["load"] = time.perf_counter() - began
        config = EngineConfig(
            freq=run.frequency,
            horizon=run.horizon,
            quantiles=tuple(run.parameters["quantiles"]),
            n_jobs=engine_threads(),
        )
        # Events by day: the engine gathers a weekly period's days itself.
        panel = forecast_panel(series, config=config, events=calendar.events or None)
        results = panel.results
        computed.model_versions = {"engine": ENGINE_VERSION, **(panel.model_versions or {})}
        computed.engine_parameters = config.as_json() if hasattr(config, "as_json") else {}
        for phase, seconds in (panel.timings or {}).items():
            if isinstance(seconds, int | float):
                computed.timings[phase] = float(seconds)
    else:
        computed.timings["load"] = time.perf_counter() - began
    computed.rows = [
        SkuForecast(
            run_id=run.pk,
            merchant_id=merchant.pk,
            product_id=product_id,
            is_current=True,
            frequency=run.frequency,
            start_date=result.start,
            quantiles={str(level): _path(path) for level, path in sorted(result.quantiles.items())},
            model_name=str(result.model_name)[:40],
            mae=_clean(result.mae),
            mase=_clean(result.mase),
            rmsse=_clean(result.rmsse),
            bias=_clean(result.bias),
            coverage=_clean(result.coverage),
            history_periods=int(result.history_periods or 0),
            borrowed_from_category=bool(result.borrowed_from_category),
        )
        for product_id, result in ((pk, results.get(pk)) for pk in ids)
        if result is not None
    ]
    computed.missing = len(ids) - len(computed.rows)
    return computed


def _merge_timings(run: ForecastRun, timings: Mapping[str, float]) -> None:
    merged = dict(run.timings)
    for phase, value in timings.items():
        merged[phase] = round(merged.get(phase, 0.0) + value, 3)
    run.timings = merged


def _locked_entry(run_id: int, chunk: int, token: str) -> tuple[ForecastRun, dict] | None:
    """The run (locked until the transaction ends) and the chunk's ledger entry, or None when
    this chunk must not write: the run is over, the job is not this sending's, or cancelled
    (then the run ends once the transaction commits)."""
    run = ForecastRun.objects.select_for_update().get(pk=run_id)
    try:
        _check_job(run, token)
    except ChunkStale:
        return None
    except RunCancelled:
        transaction.on_commit(lambda: _run_cancel(run, token))
        return None
    return run, run.parameters["chunks"][chunk]


def _chunk_save(run_id: int, chunk: int, token: str, computed: _Computed) -> bool:
    """Write the chunk's forecasts (making them current) and mark the chunk saved, once.
    False when the chunk must stop here."""
    saving = time.perf_counter()
    with transaction.atomic():
        locked = _locked_entry(run_id, chunk, token)
        if locked is None:
            return False
        run, entry = locked
        if entry.get("status") in RECORDED_CHUNK:
            return False
        if entry.get("status") == SAVED_CHUNK:  # another copy of this message got here first
            return True
        rows = computed.rows
        SkuForecast.objects.filter(
            product_id__in=[row.product_id for row in rows], is_current=True
        ).update(is_current=False)
        SkuForecast.objects.bulk_create(rows, batch_size=500)
        entry.update(status=SAVED_CHUNK, forecast=len(rows), missing=computed.missing)
        _merge_timings(run, {**computed.timings, "save": time.perf_counter() - saving})
        if computed.model_versions and not run.model_versions:
            run.model_versions = computed.model_versions
        if computed.engine_parameters and "engine" not in run.parameters:
            run.parameters["engine"] = computed.engine_parameters
        if computed.missing:
            run.error = _append_error(
                run.error,
                _("Chunk %(chunk)d: the engine returned no forecast for %(count)d products.")
                % {"chunk": chunk + 1, "count": computed.missing},
            )
        run.save(update_fields=["parameters", "timings", "model_versions", "error", "updated_at"])
    return True


def forecast_chunk_run(*, run_id: int, chunk: int, token: str = "") -> ChunkReport:
    """Forecast one chunk of a run, plan its products and record it (module docstring).

    Steps: compute (no lock) -> save the forecasts and mark the chunk `saved` (run locked)
    -> refresh the chunk's plans -> mark it `done` and count it (run locked) -> finish the run
    if it was the last. A redelivered message resumes after the last step it finds done; it
    does nothing when the chunk is recorded, the run is over or `token` is not the job's
    current Celery id. Raises on errors (the task retries transient ones, then calls
    `forecast_chunk_fail`). A cancelled job ends the run as failed.
    """
    import forecasting.engine  # noqa: F401  (imported before the clock starts)

    began = time.perf_counter()
    report = ChunkReport(run_id=run_id, chunk=chunk, recorded=False)
    run = ForecastRun.objects.select_related("merchant").filter(pk=run_id).first()
    if run is None:
        return report
    try:
        _check_job(run, token)
    except ChunkStale:
        return report
    except RunCancelled:
        _run_cancel(run, token)
        return report
    entry = run.parameters["chunks"][chunk]
    if entry.get("status") in RECORDED_CHUNK:
        return report
    ids = _chunk_product_ids(run, entry)
    if entry.get("status") != SAVED_CHUNK:
        computed = _chunk_forecast(run, ids, began)
        if not _chunk_save(run_id, chunk, token, computed):
            return report

    # Plans of the chunk's products, here rather than at the end: they are independent per
    # product, so they scale out with the chunks instead of trailing the run on one worker.
    planning = time.perf_counter()
    plan_error = ""
    try:
        today = run.parameters.get("today")
        plans_refresh(
            merchant=run.merchant,
            product_ids=ids,
            today=dt.date.fromisoformat(today) if today else None,
        )
    except Exception as exc:  # the forecasts stand; the next run plans them again
        logger.exception("forecast run %s: plans of chunk %s failed", run_id, chunk)
        plan_error = f"{type(exc).__name__}: {exc}"[:500]
    plan_seconds = time.perf_counter() - planning

    with transaction.atomic():
        locked = _locked_entry(run_id, chunk, token)
        if locked is None:
            return report
        run, entry = locked
        if entry.get("status") in RECORDED_CHUNK:
            return report
        seconds = time.perf_counter() - began
        entry.update(
            status=DONE_CHUNK,
            seconds=round(seconds, 3),
            worker=f"{socket.gethostname()}:{os.getpid()}",
            peak_rss_mb=_peak_rss_mb(),
        )
        if plan_error:
            entry["plan_error"] = plan_error
            run.error = _append_error(
                run.error,
                _("Chunk %(chunk)d: the inventory plan could not be refreshed: %(error)s")
                % {"chunk": chunk + 1, "error": plan_error},
            )
        _merge_timings(run, {"plan": plan_seconds})
        run.sku_done += int(entry.get("forecast", 0))
        run.chunks_done += 1
        run.save(
            update_fields=[
                "parameters",
                "timings",
                "sku_done",
                "chunks_done",
                "error",
                "updated_at",
            ]
        )
        complete = run.chunks_done + run.chunks_failed >= run.chunks_total
        skus, done, total = int(entry.get("forecast", 0)), run.sku_done, run.sku_total
        chunks_left = run.chunks_total - (run.chunks_done + run.chunks_failed)
    report.recorded, report.skus, report.seconds = True, skus, seconds
    if run.job_id:
        job_progress(
            job_id=run.job_id,
            task_id=token or None,
            advance=skus,
            message=_("%(done)d of %(total)d products forecast, %(left)d chunks to go")
            % {"done": done, "total": total, "left": chunks_left},
        )
    if complete:
        report.finished_run = forecast_run_finish(run_id=run_id, token=token)
    return report


def _append_error(existing: str, line: str) -> str:
    text = f"{existing}\n{line}" if existing else line
    return text[:MAX_ERROR_CHARS]


def forecast_chunk_fail(*, run_id: int, chunk: int, error: str, token: str = "") -> bool:
    """Record that a chunk finally failed (after its retries): counted, named in the run's
    error, never dropped. Finishes the run when it was the last chunk. Returns whether the
    failure was recorded (False when the chunk was already recorded or the run is over)."""
    with transaction.atomic():
        run = ForecastRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return False
        try:
            _check_job(run, token)
        except (ChunkStale, RunCancelled):
            return False
        entry = run.parameters["chunks"][chunk]
        if entry.get("status") in RECORDED_CHUNK:
            return False
        entry.update(status=FAILED_CHUNK, error=error[:500])
        run.chunks_failed += 1
        run.error = _append_error(
            run.error,
            _("Chunk %(chunk)d of %(total)d (products %(first)d to %(last)d) failed: %(error)s")
            % {
                "chunk": chunk + 1,
                "total": run.chunks_total,
                "first": entry["first_id"],
                "last": entry["last_id"],
                "error": error[:500],
            },
        )
        run.save(update_fields=["parameters", "chunks_failed", "error", "updated_at"])
        complete = run.chunks_done + run.chunks_failed >= run.chunks_total
    if complete:
        forecast_run_finish(run_id=run_id, token=token)
    return True


def _run_cancel(run: ForecastRun, token: str) -> None:
    if _run_fail(run_id=run.pk, error=_("Cancelled before all products were forecast.")):
        logger.info("forecast run %s cancelled", run.pk)
    if run.job_id:
        job_mark_cancelled(job_id=run.job_id, task_id=token or None)


# --- Finishing --------------------------------------------------------------------------------


def _metrics(run: ForecastRun) -> tuple[dict, dict]:
    rows = SkuForecast.objects.filter(run=run)
    averages = rows.aggregate(
        mae=Avg("mae"),
        mase=Avg("mase"),
        rmsse=Avg("rmsse"),
        bias=Avg("bias"),
        coverage=Avg("coverage"),
        skus=Count("pk"),
        borrowed=Count("pk", filter=Q(borrowed_from_category=True)),
    )
    metrics = {
        key: (round(value, 4) if isinstance(value, float) else value)
        for key, value in averages.items()
        if value is not None
    }
    chosen = dict(
        rows.order_by()
        .values_list("model_name")
        .annotate(count=Count("pk"))
        .values_list("model_name", "count")
    )
    return metrics, dict(sorted(chosen.items(), key=lambda item: (-item[1], item[0])))


def forecast_run_finish(*, run_id: int, token: str = "") -> bool:
    """End a run whose chunks are all recorded (exactly once: the status moves from running
    under the row lock): back-test averages, chosen models, status (partial when a chunk or a
    chunk's plans failed), `timings["wall"]`; then finish its job, which notifies whoever
    started it. Returns whether this call finished the run."""
    with transaction.atomic():
        run = ForecastRun.objects.select_for_update().filter(pk=run_id).first()
        if (
            run is None
            or run.status != ForecastRunStatus.RUNNING
            or run.chunks_done + run.chunks_failed < run.chunks_total
        ):
            return False
        run.metrics, run.chosen_models = _metrics(run)
        plans_failed = any(chunk.get("plan_error") for chunk in run.parameters["chunks"])
        if run.chunks_failed == 0 and not plans_failed:
            run.status = ForecastRunStatus.SUCCEEDED
        elif run.chunks_done:
            run.status = ForecastRunStatus.PARTIAL
        else:
            run.status = ForecastRunStatus.FAILED
        run.finished_at = timezone.now()
        if run.started_at:
            wall = (run.finished_at - run.started_at).total_seconds()
            run.timings = {**run.timings, "wall": round(wall, 3)}
        run.save()
    forecasts_prune(merchant=run.merchant)
    _job_finish(run, token=token)
    if run.job_id and run.status != ForecastRunStatus.FAILED:
        # The plans are refreshed chunk by chunk before this point: the crisis scan sees the
        # new forecasts and plans. In-process runs (demo seed, tests, benchmarks) have no job
        # and scan when they choose to.
        crisis_scan_start_on_commit(merchant=run.merchant, reason="forecast")
    return True


def _job_finish(run: ForecastRun, *, token: str) -> None:
    if not run.job_id:
        return
    summary = {
        "run_id": run.pk,
        "status": run.status,
        "skus": run.sku_total,
        "forecast": run.sku_done,
        "chunks": run.chunks_total,
        "chunks_failed": run.chunks_failed,
        "metrics": run.metrics,
        "chosen_models": run.chosen_models,
    }
    if run.status == ForecastRunStatus.FAILED:
        job_fail(
            job_id=run.job_id,
            task_id=token or None,
            error=run.error or _("No chunk of the forecast run succeeded."),
            error_code="forecast_failed",
        )
        return
    if run.status == ForecastRunStatus.PARTIAL:
        summary["partial"] = True
        message = ngettext(
            "%(done)d of %(total)d products forecast; %(failed)d chunk failed (see the run).",
            "%(done)d of %(total)d products forecast; %(failed)d chunks failed (see the run).",
            run.chunks_failed,
        ) % {"done": run.sku_done, "total": run.sku_total, "failed": run.chunks_failed}
    else:
        message = _("%(done)d products forecast, the inventory plan is up to date.") % {
            "done": run.sku_done
        }
    job_succeed(
        job_id=run.job_id,
        task_id=token or None,
        result=summary,
        result_url=_run_url(run),
        message=message,
    )


def forecasts_prune(*, merchant, keep_days: int | None = None) -> int:
    """Delete the merchant's superseded SKU forecasts of runs older than `keep_days`
    (setting FORECAST_KEEP_DAYS, default 35): a nightly 20,000-SKU run would otherwise add
    7 million rows a year. Current forecasts and the runs themselves (metrics) stay."""
    keep_days = int(
        keep_days if keep_days is not None else getattr(settings, "FORECAST_KEEP_DAYS", 35)
    )
    before = timezone.now() - dt.timedelta(days=keep_days)
    deleted, _details = SkuForecast.objects.filter(
        merchant=merchant, is_current=False, run__created_at__lt=before
    ).delete()
    return deleted


# --- In-process runs and the nightly start --------------------------------------------------------


def forecast_run_sync(
    *,
    merchant,
    trigger: str = ForecastRunTrigger.MANUAL,
    product_ids: list[int] | None = None,
    frequency: str | None = None,
    today: dt.date | None = None,
) -> ForecastRun:
    """Run a whole forecast in this process, chunk after chunk, without Celery or a job (the
    demo seed, tests, benchmarks). Same validation, rows and finish as a queued run; a chunk
    that raises is recorded as failed. `today` is the plan's today (default: the merchant's)."""
    with transaction.atomic():
        run = _run_create(
            merchant=merchant, trigger=trigger, product_ids=product_ids, frequency=frequency
        )
        if today is not None:
            run.parameters = {**run.parameters, "today": today.isoformat()}
            run.save(update_fields=["parameters", "updated_at"])
    run = forecast_run_prepare(run_id=run.pk)
    for index in range(run.chunks_total if run.status == ForecastRunStatus.RUNNING else 0):
        try:
            forecast_chunk_run(run_id=run.pk, chunk=index)
        except Exception as exc:
            logger.exception("forecast run %s: chunk %s failed", run.pk, index)
            forecast_chunk_fail(run_id=run.pk, chunk=index, error=f"{type(exc).__name__}: {exc}")
    run.refresh_from_db()
    return run


def forecast_runs_nightly_start(*, merchants=None) -> list[ForecastRun]:
    """Start the nightly run of every active merchant whose planning settings ask for one
    (merchants without settings yet get the default, which is yes) and who has sales.
    Merchants with a run in progress or nothing to forecast are skipped."""
    from accounts.models import Merchant

    forecast_runs_release_dead()
    candidates = merchants if merchants is not None else Merchant.objects.filter(is_active=True)
    candidates = candidates.exclude(planning_settings__nightly_forecast=False).order_by("pk")
    started = []
    for merchant in candidates:
        try:
            started.append(
                forecast_run_start(merchant=merchant, trigger=ForecastRunTrigger.NIGHTLY)
            )
        except ValidationError as exc:
            logger.info("nightly forecast of merchant %s skipped: %s", merchant.pk, exc.messages)
    return started
