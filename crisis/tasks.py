"""Crisis center tasks, all on the `default` queue except the playbook's (`llm`).

Thin: each calls one service.

- `crisis_scan_job`: a `crisis_scan` Job (started by `crisis_scan_start`: a person, an import,
  a forecast run or the schedule) -> `crisis_scan`.
- `crisis_scans_scheduled` (beat, every CRISIS_SCAN_MINUTES): one scan job per merchant with
  scheduled scans on.
- `crisis_sla_sweep` (beat, every CRISIS_SLA_SWEEP_SECONDS): warns once per missed deadline.
- `llm_playbook_generate` lives with the playbook code; importing it here lets autodiscovery
  register it.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from jobs.runner import JobOutcome, JobRun, job_task

# The playbook's task lives with its code; importing it here lets autodiscovery register it.
from .playbooks import tasks as playbook_tasks  # noqa: F401
from .services.scan import SCAN_TASK, crisis_scan_job_run, crisis_scans_scheduled_start
from .services.sla import crisis_sla_sweep as sla_sweep


@job_task(name=SCAN_TASK, transient=(OperationalError, InterfaceError))
def crisis_scan_job(run: JobRun, *, reason: str = "") -> JobOutcome:
    """Scan the job's merchant. A busy or briefly unreachable database is retried with backoff;
    the scan is idempotent (a standing condition updates its alert), so a resent job is safe."""
    report, message, url = crisis_scan_job_run(merchant=run.merchant)
    return JobOutcome(summary={**report.as_dict(), "reason": reason}, url=url, message=message)


@shared_task(name="crisis.tasks.crisis_scans_scheduled", ignore_result=True)
def crisis_scans_scheduled() -> int:
    """Beat: queue the scheduled scan of every merchant that wants one; returns how many."""
    return len(crisis_scans_scheduled_start())


@shared_task(name="crisis.tasks.crisis_sla_sweep", ignore_result=True)
def crisis_sla_sweep() -> int:
    """Beat: warn about missed SLA deadlines (once each); returns the warnings sent."""
    report = sla_sweep()
    return report.acknowledge_breaches + report.resolve_breaches
