"""Writes of the crisis center, one module per area; the public names are re-exported here.

    scan      crisis_scan, crisis_scan_start, crisis_scan_start_on_commit, schedule
    alerts    alerts_apply (a scan's findings -> alerts and crises), alert_acknowledge,
              alert_snooze, alert_resolve
    crises    status, owner, comments, resolve with a post-mortem, reopen, the timeline
    sla       deadlines by severity and the sweep that warns once per missed deadline
    settings  thresholds, SLA hours, scheduled scans
    errors    CrisisError(code, message): a refused change, answered as a 409/400 by the API

The playbook and its actions (`crisis.services.actions`) are imported from their own module.
"""

from .alerts import (
    ScanReport,
    alert_acknowledge,
    alert_resolve,
    alert_snooze,
    alerts_apply,
)
from .crises import (
    CRISIS_TRANSITIONS,
    crisis_acknowledge,
    crisis_assign,
    crisis_comment,
    crisis_event_add,
    crisis_notify,
    crisis_reopen,
    crisis_resolve,
    crisis_status_set,
)
from .errors import CrisisError
from .scan import (
    crisis_scan,
    crisis_scan_start,
    crisis_scan_start_on_commit,
    crisis_scans_scheduled_start,
)
from .settings import crisis_settings_get, crisis_settings_update
from .sla import SLA_DUE_SOON_SHARE, crisis_sla_sweep

__all__ = [
    "CRISIS_TRANSITIONS",
    "SLA_DUE_SOON_SHARE",
    "CrisisError",
    "ScanReport",
    "alert_acknowledge",
    "alert_resolve",
    "alert_snooze",
    "alerts_apply",
    "crisis_acknowledge",
    "crisis_assign",
    "crisis_comment",
    "crisis_event_add",
    "crisis_notify",
    "crisis_reopen",
    "crisis_resolve",
    "crisis_scan",
    "crisis_scan_start",
    "crisis_scan_start_on_commit",
    "crisis_scans_scheduled_start",
    "crisis_settings_get",
    "crisis_settings_update",
    "crisis_sla_sweep",
    "crisis_status_set",
]
