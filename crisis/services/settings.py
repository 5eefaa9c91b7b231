"""The merchant's crisis settings: detector thresholds, SLA hours, scheduled scans.

Both JSON fields hold overrides of the documented defaults in `crisis.detectors.config`; an
empty object means "all defaults". `sla_hours` maps a severity (as a string, JSON keys are
strings) to `[acknowledge_hours, resolve_hours]`:

    {"4": [1, 8], "3": [4, 24]}      # critical: acknowledge within 1 h, resolve within 8 h

Severities left out keep their defaults.
"""

from __future__ import annotations

import logging
import math

from django.db import transaction
from django.utils.translation import gettext as _

from ..detectors.config import DEFAULT_SLA_HOURS, thresholds_from_overrides
from ..models import CrisisSettings, Severity
from .errors import INVALID, CrisisError

logger = logging.getLogger(__name__)

# The longest SLA a merchant may set: a quarter of a year, in hours.
MAX_SLA_HOURS = 24 * 92


def crisis_settings_get(*, merchant, lock: bool = False) -> CrisisSettings:
    """The merchant's crisis settings, created with the defaults on first use. With `lock`,
    the row is locked until the surrounding transaction ends."""
    row, _created = CrisisSettings.objects.get_or_create(merchant=merchant)
    if lock:
        row = CrisisSettings.objects.select_for_update().get(pk=row.pk)
    return row


def sla_hours_clean(sla_hours) -> dict[str, list[float]]:
    """Validated overrides, normalised to {"<severity>": [ack, resolve]}; raises CrisisError."""
    if sla_hours is None:
        return {}
    if not isinstance(sla_hours, dict):
        raise CrisisError(
            "invalid_sla_hours",
            _("SLA hours must map a severity to acknowledge and resolve hours."),
            INVALID,
        )
    cleaned: dict[str, list[float]] = {}
    for key, value in sla_hours.items():
        try:
            severity = Severity(int(key))
        except (TypeError, ValueError):
            raise CrisisError(
                "invalid_sla_hours",
                _("“%(key)s” is not a severity (1 to 4).") % {"key": key},
                INVALID,
            ) from None
        if isinstance(value, dict):
            value = [value.get("acknowledge"), value.get("resolve")]
        try:
            acknowledge, resolve = (float(hours) for hours in value)
        except (TypeError, ValueError):
            raise CrisisError(
                "invalid_sla_hours",
                _("The SLA of %(severity)s needs two numbers: acknowledge and resolve hours.")
                % {"severity": severity.label},
                INVALID,
            ) from None
        if not all(
            math.isfinite(hours) and 0 < hours <= MAX_SLA_HOURS for hours in (acknowledge, resolve)
        ):
            raise CrisisError(
                "invalid_sla_hours",
                _("SLA hours of %(severity)s must be between 0 and %(max)d.")
                % {"severity": severity.label, "max": MAX_SLA_HOURS},
                INVALID,
            )
        if acknowledge > resolve:
            raise CrisisError(
                "invalid_sla_hours",
                _("%(severity)s: acknowledging cannot take longer than resolving.")
                % {"severity": severity.label},
                INVALID,
            )
        cleaned[str(severity.value)] = [acknowledge, resolve]
    return cleaned


def crisis_settings_update(
    *,
    merchant,
    thresholds: dict | None = None,
    sla_hours: dict | None = None,
    scans_enabled: bool | None = None,
) -> CrisisSettings:
    """Replace the threshold and SLA overrides (None leaves a field as it is). Everything is
    validated before anything is written; bad input raises `CrisisError` (400) naming it.

    New thresholds take effect at the next scan; new SLA hours for crises opened or escalated
    from now on (deadlines already set stay).
    """
    if thresholds is not None:
        if not isinstance(thresholds, dict):
            raise CrisisError(
                "invalid_thresholds", _("Thresholds must be an object of name: value."), INVALID
            )
        try:
            thresholds_from_overrides(thresholds)
        except ValueError as exc:
            raise CrisisError("invalid_thresholds", str(exc), INVALID) from None
    sla = sla_hours_clean(sla_hours) if sla_hours is not None else None
    with transaction.atomic():
        row = crisis_settings_get(merchant=merchant, lock=True)
        fields = ["updated_at"]
        if thresholds is not None:
            row.thresholds = dict(thresholds)
            fields.append("thresholds")
        if sla is not None:
            row.sla_hours = sla
            fields.append("sla_hours")
        if scans_enabled is not None:
            row.scans_enabled = bool(scans_enabled)
            fields.append("scans_enabled")
        row.save(update_fields=fields)
    return row


def crisis_thresholds(*, settings_row: CrisisSettings):
    """The detector thresholds in force. A stored override the detectors no longer accept
    (a threshold renamed or re-bounded since) is dropped with a warning rather than stopping
    every scan of the merchant."""
    overrides = dict(settings_row.thresholds or {})
    try:
        return thresholds_from_overrides(overrides)
    except ValueError:
        kept = {}
        for name, value in overrides.items():
            try:
                thresholds_from_overrides({**kept, name: value})
            except ValueError as exc:
                logger.warning(
                    "merchant %s: crisis threshold %s ignored: %s",
                    settings_row.merchant_id,
                    name,
                    exc,
                )
                continue
            kept[name] = value
        return thresholds_from_overrides(kept)


def crisis_sla_hours(*, settings_row: CrisisSettings | None) -> dict[int, tuple[float, float]]:
    """{severity: (acknowledge_hours, resolve_hours)}: the defaults with the overrides on top."""
    hours = {int(severity): tuple(map(float, pair)) for severity, pair in DEFAULT_SLA_HOURS.items()}
    for key, pair in ((settings_row.sla_hours or {}) if settings_row else {}).items():
        try:
            acknowledge, resolve = (float(value) for value in pair)
            hours[int(key)] = (acknowledge, resolve)
        except (TypeError, ValueError):
            logger.warning("merchant %s: SLA hours %r ignored", settings_row.merchant_id, key)
    return hours
