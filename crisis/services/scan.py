"""Crisis scans: run the detectors over a merchant's data and apply their findings.

    crisis_scan                      in-process: inputs -> detectors -> alerts_apply
    crisis_scan_start                a `crisis_scan` Job on the default queue
      -> tasks.crisis_scan_job       (jobs.runner) -> crisis_scan_job_run -> crisis_scan
    crisis_scan_start_on_commit      the same once the caller's transaction commits (imports,
                                     forecast runs)
    crisis_scans_scheduled_start     beat, every CRISIS_SCAN_MINUTES: one job per merchant whose
                                     settings keep scheduled scans on

A merchant never has two scans waiting: a start finds the queued one and sends nothing more.
A scan that is already running does not stop a new one from being queued after an import,
because the running one may have read the data before the import landed; the schedule skips
merchants with a scan queued or running.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.selectors import merchant_today
from jobs.models import ACTIVE_STATUSES, Job, JobKind, JobStatus
from jobs.services import job_submit

from ..models import AlertKind
from .alerts import ScanReport, alerts_apply
from .crises import page_url
from .settings import crisis_settings_get, crisis_thresholds

logger = logging.getLogger(__name__)

SCAN_TASK = "crisis.tasks.crisis_scan_job"
SCAN_REASONS = ("manual", "import", "forecast", "schedule", "demo")


def crisis_scan(
    *, merchant, now: dt.datetime | None = None, today: dt.date | None = None
) -> ScanReport:
    """Scan the merchant: load the detectors' inputs in bulk, run every detector, upsert the
    alerts and crises (`alerts_apply`) and notify. `today` is the merchant's local date the
    detectors judge by (default: today where the merchant is; the demo seed passes its own).
    """
    # The detectors' numeric stack (numpy, scipy) loads in the processes that scan (workers,
    # the demo seed, benchmarks), never in a web process that only queues scans.
    from ..detectors import run_detectors
    from ..selectors.signals import scan_inputs

    now = now or timezone.now()
    today = today or merchant_today(merchant=merchant, now=now)
    settings_row = crisis_settings_get(merchant=merchant)
    thresholds = crisis_thresholds(settings_row=settings_row)
    # Titles and summaries are written once, in the store's language.
    with translation.override(merchant.default_language):
        started = time.perf_counter()
        inputs = scan_inputs(merchant=merchant, today=today, thresholds=thresholds)
        loaded = time.perf_counter()
        findings = run_detectors(inputs, thresholds)
        detected = time.perf_counter()
        report = alerts_apply(
            merchant=merchant,
            findings=findings,
            now=now,
            kinds=AlertKind.values,
            thresholds=thresholds,
        )
        applied = time.perf_counter()
    report.seconds = {
        "inputs": round(loaded - started, 3),
        "detect": round(detected - loaded, 3),
        "apply": round(applied - detected, 3),
        "total": round(applied - started, 3),
    }
    logger.info(
        "crisis scan of merchant %s: %d findings, %d opened, %d updated, %d cleared in %.2f s",
        merchant.pk,
        report.findings,
        report.opened,
        report.updated,
        report.resolved,
        report.seconds["total"],
    )
    return report


def crisis_scan_job_run(*, merchant) -> tuple[ScanReport, str, str]:
    """The scan job's body: the scan, and the summary line and link its job shows."""
    report = crisis_scan(merchant=merchant)
    with translation.override(merchant.default_language):
        message = _(
            "%(findings)d conditions found: %(opened)d new alerts, %(updated)d still standing, "
            "%(resolved)d cleared; %(crises)d open crises."
        ) % {
            "findings": report.findings,
            "opened": report.opened,
            "updated": report.updated,
            "resolved": report.resolved,
            "crises": report.open_crises,
        }
    return report, message, page_url("crisis-board")


def _scan_waiting(merchant, statuses) -> bool:
    return Job.objects.filter(
        merchant=merchant, kind=JobKind.CRISIS_SCAN, status__in=statuses
    ).exists()


def crisis_scan_start(
    *, merchant, reason: str, user=None, skip_running: bool = False
) -> Job | None:
    """Queue a scan job for the merchant, or None when one is already queued (with
    `skip_running`, also when one is running: the schedule's rule). `reason` is one of
    SCAN_REASONS and shows in the job's title."""
    if reason not in SCAN_REASONS:
        raise ValueError(f"Unknown scan reason {reason!r}")
    titles = {
        "manual": _("Crisis scan"),
        "import": _("Crisis scan after an import"),
        "forecast": _("Crisis scan after a forecast run"),
        "schedule": _("Scheduled crisis scan"),
        "demo": _("Crisis scan of the demo store"),
    }
    with transaction.atomic():
        # One start at a time per merchant, so two callers cannot both find nothing queued.
        crisis_settings_get(merchant=merchant, lock=True)
        statuses = ACTIVE_STATUSES if skip_running else (JobStatus.QUEUED,)
        if _scan_waiting(merchant, statuses):
            return None
        with translation.override(merchant.default_language):
            title = str(titles[reason])
        return job_submit(
            merchant=merchant,
            kind=JobKind.CRISIS_SCAN,
            title=title,
            task_name=SCAN_TASK,
            task_kwargs={"reason": reason},
            started_by=user,
            queue="default",
        )


def crisis_scan_start_on_commit(*, merchant, reason: str) -> None:
    """Queue a scan once the caller's transaction commits (after an import or a forecast run:
    the scan must see the rows just written). Never raises into the caller: a scan that could
    not be queued is logged, and the next scheduled scan covers it."""
    merchant_id = merchant.pk

    def start() -> None:
        from accounts.models import Merchant

        try:
            current = Merchant.objects.filter(pk=merchant_id, is_active=True).first()
            if current is not None:
                crisis_scan_start(merchant=current, reason=reason)
        except Exception:
            logger.exception("merchant %s: crisis scan after %s not queued", merchant_id, reason)

    transaction.on_commit(start)


def crisis_scans_scheduled_start(*, merchants=None) -> list[Job]:
    """The schedule: one scan job per active merchant whose settings keep scheduled scans on
    (merchants without settings yet get the default, which is on), skipping merchants with a
    scan queued or running."""
    from accounts.models import Merchant

    candidates = merchants if merchants is not None else Merchant.objects.filter(is_active=True)
    candidates = candidates.exclude(crisis_settings__scans_enabled=False).order_by("pk")
    started = []
    for merchant in candidates:
        job = crisis_scan_start(merchant=merchant, reason="schedule", skip_running=True)
        if job is not None:
            started.append(job)
    return started
