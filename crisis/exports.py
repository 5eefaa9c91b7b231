"""CSV and Excel export of the alert list: the alerts its filters select, in its order, every
row. Streamed by `core.exports`; reads `crisis.Alert` only.

Kind, severity, status and resolution are written as their labels in the user's language;
times in the merchant's time zone (named in the header); money at risk in the merchant's
currency.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.exports import (
    DATETIME,
    INT,
    MONEY,
    TEXT,
    Column,
    export_response,
    merchant_tz,
    money_header,
    queryset_rows,
    time_zone_header,
)
from reviews.models import Aspect

from .models import Alert

ALERT_STEM = "alerts"
_ASPECTS = dict(Aspect.choices)


def _product(alert: Alert, name: str) -> str:
    return getattr(alert.product, name) if alert.product_id else ""


def _aspect(alert: Alert) -> str:
    return str(_ASPECTS.get(alert.aspect, alert.aspect)) if alert.aspect else ""


def _label(alert: Alert, name: str) -> str:
    return str(getattr(alert, f"get_{name}_display")()) if getattr(alert, name) else ""


def alert_columns(*, currency: str, tz_name: str) -> list[Column]:
    def when(label: str) -> str:
        return time_zone_header(label, tz_name)

    return [
        Column(_("Alert ID"), INT, lambda a: a.pk, 9),
        Column(_("Kind"), TEXT, lambda a: _label(a, "kind"), 20),
        Column(_("Severity"), TEXT, lambda a: _label(a, "severity"), 10),
        Column(_("Status"), TEXT, lambda a: _label(a, "status"), 13),
        Column(_("SKU"), TEXT, lambda a: _product(a, "sku"), 18),
        Column(_("Product"), TEXT, lambda a: _product(a, "title"), 30),
        Column(_("Aspect"), TEXT, _aspect, 16),
        Column(money_header(_("Money at risk"), currency), MONEY, lambda a: a.money_at_risk, 16),
        Column(_("Title"), TEXT, lambda a: a.title, 40),
        Column(_("Summary"), TEXT, lambda a: a.summary, 60),
        Column(when(_("First detected")), DATETIME, lambda a: a.first_detected_at, 20),
        Column(when(_("Last detected")), DATETIME, lambda a: a.last_detected_at, 20),
        Column(_("Times detected"), INT, lambda a: a.detections, 9),
        Column(when(_("Acknowledged")), DATETIME, lambda a: a.acknowledged_at, 20),
        Column(when(_("Snoozed until")), DATETIME, lambda a: a.snoozed_until, 20),
        Column(when(_("Resolved")), DATETIME, lambda a: a.resolved_at, 20),
        Column(_("Resolution"), TEXT, lambda a: _label(a, "resolution"), 18),
        Column(_("Crisis ID"), INT, lambda a: a.crisis_id, 9),
    ]


def alert_export(alerts, *, merchant, export_format: str):
    """`alerts` (`alert_list(...)` with the page's filters) as CSV or XLSX."""
    return export_response(
        export_format,
        queryset_rows(alerts.select_related("product")),
        columns=alert_columns(currency=merchant.currency, tz_name=merchant.timezone),
        merchant=merchant,
        stem=ALERT_STEM,
        title=_("Alerts"),
        freeze="C2",
        tz=merchant_tz(merchant),
    )
