"""Detector thresholds: documented defaults, per-merchant overrides, severity bands and SLAs.

A merchant's `CrisisSettings.thresholds` is a JSON object of overrides (an empty object means
"all defaults"); `thresholds_from_overrides` turns it into a validated `Thresholds`. Money
figures are in the merchant's own currency. `THRESHOLD_FIELDS` describes every field (label,
help, type, range) so the settings form and the API serializer are built from one list.

The defaults of the sales-drop and review detectors were calibrated with
`bench/crisis_detection.py` on its calibration part (earlier year, other SKUs) only; the
README's "Crisis center" section lists them; the benchmark prints the figures they reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# Severity levels (values of `crisis.models.Severity`, repeated here so that the detectors stay
# free of Django models).
LOW, MEDIUM, HIGH, CRITICAL = 1, 2, 3, 4

# Hours to acknowledge and to resolve a crisis, by severity; `CrisisSettings.sla_hours` may
# override them per merchant ({"4": [1, 24], ...}).
DEFAULT_SLA_HOURS: dict[int, tuple[int, int]] = {
    CRITICAL: (1, 24),
    HIGH: (4, 72),
    MEDIUM: (24, 168),
    LOW: (72, 336),
}


@dataclass(frozen=True)
class Thresholds:
    """What each detector needs before it raises a finding (see `THRESHOLD_FIELDS` for the
    meaning and range of every field)."""

    # Severity bands: money at risk (merchant currency) at which a finding becomes medium,
    # high or critical; below `severity_medium_money` it is low.
    severity_medium_money: Decimal = Decimal("1000")
    severity_high_money: Decimal = Decimal("5000")
    severity_critical_money: Decimal = Decimal("20000")
    # Findings with less money at risk are not reported at all (alert fatigue).
    min_money_at_risk: Decimal = Decimal("1")
    # Days of revenue the sales-drop, review-surge and rating-drop detectors count as at risk.
    revenue_horizon_days: int = 28

    # Stockout risk: chance that demand over the lead time exceeds the stock that can serve it.
    stockout_min_probability: float = 0.8

    # Overstock: days of cover (on hand + inbound at the expected rate) and capital tied up
    # beyond lead time + the planning cover target.
    overstock_min_cover_days: int = 180
    overstock_min_value: Decimal = Decimal("1000")

    # Sales drop: CUSUM over the last `sales_drop_window_days` days against the forecast made
    # before them (or the product's own history of the `sales_drop_baseline_days` before).
    sales_drop_window_days: int = 28
    sales_drop_baseline_days: int = 56
    sales_drop_min_daily_units: float = 2.0
    # 10 with the CUSUM's dispersion capped at 0.1 (`sales_drop.LLR_MAX_DISPERSION`): chosen
    # on the benchmark's calibration part (seeds 7 and 11) for ~0.5 sales-drop false alerts
    # per 100 SKU-weeks, the rate the former default (9, uncapped) had.
    sales_drop_cusum_threshold: float = 10.0
    sales_drop_min_drop: float = 0.2

    # Negative-review surge: share of negative reviews (overall and per aspect) in the last
    # `review_window_days` against the `review_baseline_days` before.
    review_window_days: int = 14
    review_baseline_days: int = 365
    review_min_negatives: int = 5
    review_p_value: float = 0.001
    review_min_excess_share: float = 0.1

    # Rating drop: mean rating of the last `rating_window_days` against the year before.
    rating_window_days: int = 28
    rating_min_reviews: int = 10
    rating_min_drop: float = 0.5
    rating_p_value: float = 0.001


@dataclass(frozen=True)
class ThresholdField:
    """One field of the settings form: `type` is "int", "float" (a share or a probability) or
    "money" (a Decimal in the merchant's currency); `min`/`max` bound it (inclusive)."""

    name: str
    label: str
    help: str
    type: str
    min: float
    max: float
    group: str

    @property
    def default(self):
        return getattr(Thresholds(), self.name)


def _field(name, label, help_text, kind, low, high, group) -> ThresholdField:
    return ThresholdField(name, label, help_text, kind, low, high, group)


# Upper bounds also bound how much history `crisis.selectors.signals.scan_inputs` loads.
MAX_SALES_DROP_WINDOW_DAYS = 42
MAX_SALES_DROP_BASELINE_DAYS = 112
MAX_REVIEW_WINDOW_DAYS = 56
MAX_REVIEW_BASELINE_DAYS = 730
MAX_RATING_WINDOW_DAYS = 90

THRESHOLD_FIELDS: tuple[ThresholdField, ...] = (
    _field(
        "severity_medium_money",
        _("Medium severity from"),
        _("Money at risk from which a finding is of medium severity (below: low)."),
        "money",
        0,
        1e9,
        "severity",
    ),
    _field(
        "severity_high_money",
        _("High severity from"),
        _("Money at risk from which a finding is of high severity."),
        "money",
        0,
        1e9,
        "severity",
    ),
    _field(
        "severity_critical_money",
        _("Critical severity from"),
        _("Money at risk from which a finding is critical."),
        "money",
        0,
        1e9,
        "severity",
    ),
    _field(
        "min_money_at_risk",
        _("Ignore findings below"),
        _("Findings with less money at risk than this are not reported."),
        "money",
        0,
        1e9,
        "severity",
    ),
    _field(
        "revenue_horizon_days",
        _("Revenue at risk over (days)"),
        _(
            "How many days of revenue a sales drop, a review surge or a rating drop puts at "
            "risk if nothing is done."
        ),
        "int",
        7,
        182,
        "severity",
    ),
    _field(
        "stockout_min_probability",
        _("Stockout: minimum chance"),
        _(
            "Alert when the chance of running out before a new order could arrive (the lead "
            "time) is at least this (0.8 = four chances in five)."
        ),
        "float",
        0.05,
        0.99,
        "stockout",
    ),
    _field(
        "overstock_min_cover_days",
        _("Overstock: minimum days of cover"),
        _("Alert when the stock on hand lasts at least this many days of demand."),
        "int",
        30,
        1825,
        "overstock",
    ),
    _field(
        "overstock_min_value",
        _("Overstock: minimum capital tied up"),
        _(
            "Alert only when the stock beyond lead time plus the cover target is worth at "
            "least this at cost."
        ),
        "money",
        0,
        1e9,
        "overstock",
    ),
    _field(
        "sales_drop_window_days",
        _("Sales drop: days examined"),
        _("How many recent days of sales are compared with what was expected."),
        "int",
        7,
        MAX_SALES_DROP_WINDOW_DAYS,
        "sales_drop",
    ),
    _field(
        "sales_drop_baseline_days",
        _("Sales drop: baseline days"),
        _(
            "Without a forecast made before the days examined, the product's normal level is "
            "taken from this many days before them."
        ),
        "int",
        28,
        MAX_SALES_DROP_BASELINE_DAYS,
        "sales_drop",
    ),
    _field(
        "sales_drop_min_daily_units",
        _("Sales drop: minimum expected units a day"),
        _("Products expected to sell fewer units a day are not checked (too sparse to tell)."),
        "float",
        0.1,
        1000,
        "sales_drop",
    ),
    _field(
        "sales_drop_cusum_threshold",
        _("Sales drop: evidence needed"),
        _(
            "CUSUM threshold (log-likelihood ratio): higher means fewer false alerts but later "
            "detection."
        ),
        "float",
        1,
        30,
        "sales_drop",
    ),
    _field(
        "sales_drop_min_drop",
        _("Sales drop: minimum drop"),
        _("Sales since the drop began must be at least this share below expected (0.2 = 20%)."),
        "float",
        0.05,
        0.95,
        "sales_drop",
    ),
    _field(
        "review_window_days",
        _("Review surge: recent days"),
        _("Reviews of this many recent days are compared with the baseline."),
        "int",
        3,
        MAX_REVIEW_WINDOW_DAYS,
        "reviews",
    ),
    _field(
        "review_baseline_days",
        _("Review surge: baseline days"),
        _("The product's normal share of negative reviews is measured over this many days."),
        "int",
        28,
        MAX_REVIEW_BASELINE_DAYS,
        "reviews",
    ),
    _field(
        "review_min_negatives",
        _("Review surge: minimum negative reviews"),
        _("At least this many recent negative reviews (so two bad reviews are not a crisis)."),
        "int",
        2,
        1000,
        "reviews",
    ),
    _field(
        "review_p_value",
        _("Review surge: significance"),
        _(
            "One-sided p-value below which the recent negative share counts as higher than "
            "the product's baseline."
        ),
        "float",
        1e-6,
        0.2,
        "reviews",
    ),
    _field(
        "review_min_excess_share",
        _("Review surge: minimum rise of the negative share"),
        _("The recent negative share must exceed the baseline by at least this (0.1 = 10 points)."),
        "float",
        0.0,
        0.9,
        "reviews",
    ),
    _field(
        "rating_window_days",
        _("Rating drop: recent days"),
        _("The average rating of this many recent days is compared with the year before."),
        "int",
        7,
        MAX_RATING_WINDOW_DAYS,
        "rating",
    ),
    _field(
        "rating_min_reviews",
        _("Rating drop: minimum rated reviews"),
        _("Both the recent days and the baseline need at least this many rated reviews."),
        "int",
        3,
        1000,
        "rating",
    ),
    _field(
        "rating_min_drop",
        _("Rating drop: minimum drop (stars)"),
        _("The recent average must be at least this many stars below the baseline."),
        "float",
        0.1,
        4.0,
        "rating",
    ),
    _field(
        "rating_p_value",
        _("Rating drop: significance"),
        _("One-sided p-value of Welch's t-test below which the drop counts."),
        "float",
        1e-6,
        0.2,
        "rating",
    ),
)

FIELDS_BY_NAME = {field.name: field for field in THRESHOLD_FIELDS}
assert set(FIELDS_BY_NAME) == {f.name for f in fields(Thresholds)}  # the form lists every field


def _coerce(field: ThresholdField, value):
    """The override converted to the field's type, or ValueError naming the field."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{field.name}: expected a number, got {value!r}")
    if field.type == "money":
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as error:
            raise ValueError(f"{field.name}: expected an amount, got {value!r}") from error
        if not number.is_finite():
            raise ValueError(f"{field.name}: expected a finite amount, got {value!r}")
        checked = float(number)
        result = number.quantize(Decimal("0.01"))
    elif field.type == "int":
        try:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{field.name}: expected a whole number, got {value!r}") from error
        if not math.isfinite(number) or number != int(number):
            raise ValueError(f"{field.name}: expected a whole number, got {value!r}")
        checked = number
        result = int(number)
    else:
        try:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{field.name}: expected a number, got {value!r}") from error
        if not math.isfinite(number):
            raise ValueError(f"{field.name}: expected a finite number, got {value!r}")
        checked = number
        result = number
    if not field.min <= checked <= field.max:
        raise ValueError(
            f"{field.name}: {value!r} is outside the allowed range {field.min:g} to {field.max:g}"
        )
    return result


def thresholds_from_overrides(overrides: dict | None) -> Thresholds:
    """The default `Thresholds` with a merchant's overrides applied, validated.

    Raises ValueError whose message starts with the offending key: an unknown name, a value
    of the wrong type or out of range, or severity bands that do not rise (medium < high <
    critical).
    """
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise ValueError("thresholds: expected an object of overrides")
    changes = {}
    for key, value in overrides.items():
        field = FIELDS_BY_NAME.get(key)
        if field is None:
            raise ValueError(f"{key}: unknown threshold")
        changes[key] = _coerce(field, value)
    thresholds = replace(Thresholds(), **changes)
    if not (
        thresholds.severity_medium_money
        < thresholds.severity_high_money
        < thresholds.severity_critical_money
    ):
        key = next(
            (
                name
                for name in (
                    "severity_high_money",
                    "severity_critical_money",
                    "severity_medium_money",
                )
                if name in changes
            ),
            "severity_high_money",
        )
        raise ValueError(f"{key}: the severity bands must rise: medium < high < critical")
    return thresholds


def thresholds_as_json(thresholds: Thresholds) -> dict:
    """Every threshold as plain JSON (money as a string with two decimals)."""
    values = {}
    for field in THRESHOLD_FIELDS:
        value = getattr(thresholds, field.name)
        values[field.name] = str(value) if isinstance(value, Decimal) else value
    return values


def severity_for(money_at_risk: Decimal, thresholds: Thresholds) -> int:
    """Severity 1 (low) to 4 (critical) from money at risk and the merchant's bands."""
    money = Decimal(money_at_risk or 0)
    if money >= thresholds.severity_critical_money:
        return CRITICAL
    if money >= thresholds.severity_high_money:
        return HIGH
    if money >= thresholds.severity_medium_money:
        return MEDIUM
    return LOW
