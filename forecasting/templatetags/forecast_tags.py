"""Forecast accuracy in words, and the small formats of the forecast and plan pages.

`accuracy_sentence` is also what the API returns as `accuracy.summary`, so the portal and
integrations describe a forecast with the same words.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.templatetags.portal import money

from ..models import ForecastRunStatus, Frequency
from ..selectors.forecasts import AT_RISK_THRESHOLD

register = template.Library()

# What the engine's method names mean to someone who is not a statistician.
MODEL_LABELS = {
    "lgbm": gettext_lazy("gradient-boosted trees over all products (LightGBM)"),
    "lightgbm": gettext_lazy("gradient-boosted trees over all products (LightGBM)"),
    "seasonal_naive": gettext_lazy("same weekday last week (seasonal naive)"),
    "seasonalnaive": gettext_lazy("same weekday last week (seasonal naive)"),
    "window_average": gettext_lazy("average of the last weeks (window average)"),
    "windowaverage": gettext_lazy("average of the last weeks (window average)"),
    "croston": gettext_lazy("occasional sales, Croston's method"),
    "crostonoptimized": gettext_lazy("occasional sales, Croston's method"),
    "croston_optimized": gettext_lazy("occasional sales, Croston's method"),
    "adida": gettext_lazy("occasional sales, aggregated (ADIDA)"),
    "tsb": gettext_lazy("occasional sales with fading demand (TSB)"),
    "ets": gettext_lazy("level, trend and weekday pattern (exponential smoothing)"),
    "autoets": gettext_lazy("level, trend and weekday pattern (exponential smoothing)"),
    "ensemble": gettext_lazy("a blend of several methods"),
    "combination": gettext_lazy("a blend of several methods"),
    "category": gettext_lazy("the category's pattern (little own history)"),
    "zero": gettext_lazy("no recent sales"),
}

RUN_STATUS_CLASSES = {
    ForecastRunStatus.QUEUED: "text-bg-secondary",
    ForecastRunStatus.RUNNING: "text-bg-primary",
    ForecastRunStatus.SUCCEEDED: "text-bg-success",
    ForecastRunStatus.PARTIAL: "text-bg-warning",
    ForecastRunStatus.FAILED: "text-bg-danger",
}


def _amount(value: float) -> tuple[str, int]:
    """A quantity as people say it (`3`, `0.4`, `1,250`) and the count for plural forms."""
    if value >= 9.5:
        rounded = int(round(value))
        return f"{rounded:,}", rounded
    if value >= 0.95:
        rounded = int(round(value))
        return str(rounded), rounded
    return f"{value:.1f}", 2  # "0.4 units": plural in English


def _get(forecast, name: str):
    return getattr(forecast, name, None) if forecast is not None else None


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


@register.filter
def accuracy_sentence(forecast) -> str:
    """The forecast's back-test (mean absolute error, interval coverage) in plain words:

    "Typically off by about 3 units a day; the likely range (P10–P90) held 81% of days in
    testing."
    """
    if forecast is None:
        return _("No forecast yet.")
    weekly = _get(forecast, "frequency") == Frequency.WEEKLY
    mae = _get(forecast, "mae")
    coverage = _get(forecast, "coverage")
    parts = []
    if _is_number(mae):
        if mae < 0.05:
            parts.append(
                _("Typically off by less than 0.1 units a week")
                if weekly
                else _("Typically off by less than 0.1 units a day")
            )
        else:
            text, count = _amount(mae)
            if weekly:
                sentence = ngettext(
                    "Typically off by about %(units)s unit a week",
                    "Typically off by about %(units)s units a week",
                    count,
                )
            else:
                sentence = ngettext(
                    "Typically off by about %(units)s unit a day",
                    "Typically off by about %(units)s units a day",
                    count,
                )
            parts.append(sentence % {"units": text})
    if _is_number(coverage):
        share = int(round(100 * coverage))
        if weekly:
            text = _("the likely range (P10–P90) held %(percent)s%% of weeks in testing")
        else:
            text = _("the likely range (P10–P90) held %(percent)s%% of days in testing")
        parts.append(text % {"percent": share})
    if not parts:
        return _("Not enough history to test this forecast yet.")
    if len(parts) == 2:
        sentence = _("%(first)s; %(second)s.") % {"first": parts[0], "second": parts[1]}
    else:
        sentence = parts[0] + "."
    sentence = sentence[0].upper() + sentence[1:]
    if _get(forecast, "borrowed_from_category"):
        sentence += " " + _("Little sales history yet: the forecast leans on its category.")
    return sentence


@register.filter
def accuracy_short(forecast) -> str:
    """The plan table's cell: "± 3 a day" (typical error), or why there is none."""
    if forecast is None:
        return _("no forecast")
    mae = _get(forecast, "mae")
    if not _is_number(mae):
        return _("not tested yet")
    weekly = _get(forecast, "frequency") == Frequency.WEEKLY
    if mae < 0.05:
        return _("± under 0.1 a week") if weekly else _("± under 0.1 a day")
    text, _count = _amount(mae)
    if weekly:
        return _("± %(units)s a week") % {"units": text}
    return _("± %(units)s a day") % {"units": text}


@register.filter
def model_label(name: str) -> str:
    """A method name of the engine in plain words (the name itself when unknown)."""
    if not name:
        return "—"
    return str(MODEL_LABELS.get(str(name).lower(), name))


@register.filter
def percent(value, digits: int = 0) -> str:
    """`0.813|percent` -> `81%`; `—` when unknown."""
    if not _is_number(value):
        return "—"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def number(value, digits: int = 1) -> str:
    """`1234.56|number:1` -> `1,234.6` in every language (see `portal.grouped`)."""
    if value is None or value == "":
        return "—"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(value):
        return "—"
    return f"{value:,.{int(digits)}f}"


@register.filter
def seconds(value) -> str:
    """A phase's time: `12.345|seconds` -> `12.3 s`."""
    if not _is_number(value):
        return "—"
    return _("%(seconds)s s") % {"seconds": f"{value:,.1f}"}


@register.filter
def run_status_class(status: str) -> str:
    return RUN_STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def risk_class(risk) -> str:
    """Badge colour of a stockout risk: red from one chance in two, amber from "at risk"."""
    if not _is_number(risk):
        return "text-bg-light"
    if risk >= 0.5:
        return "text-bg-danger"
    if risk >= AT_RISK_THRESHOLD:
        return "text-bg-warning"
    return "text-bg-light border"


@register.filter
def sorted_items(mapping) -> list[tuple]:
    """A dict's items, largest value first (chosen models, timings)."""
    if not isinstance(mapping, dict):
        return []

    def key(item):
        value = item[1]
        return (-value if _is_number(value) else 0, str(item[0]))

    return sorted(mapping.items(), key=key)


def _markdown_number(markdown: dict, key: str):
    value = (markdown or {}).get(key)
    return value if _is_number(value) else None


@register.filter
def markdown_summary(plan, currency: str = "") -> str:
    """The plan table's markdown cell: "−20 %: ~45 sold in 28 days, $900 back"."""
    markdown = getattr(plan, "markdown", None) or {}
    cut = _markdown_number(markdown, "price_cut")
    units = _markdown_number(markdown, "expected_units")
    if cut is None or units is None:
        return ""
    return _("−%(cut)s%%: ~%(units)s sold in %(days)s days, %(money)s back") % {
        "cut": int(round(100 * cut)),
        "units": f"{units:,.0f}",
        "days": int(_markdown_number(markdown, "days") or 0),
        "money": money(_markdown_number(markdown, "recovered") or 0, currency),
    }


@register.filter
def markdown_value(plan, key: str):
    """One number of the plan's markdown scenario (None when absent)."""
    return _markdown_number(getattr(plan, "markdown", None) or {}, key)


PHASE_LABELS = {
    "load": gettext_lazy("Loading sales history"),
    "prepare": gettext_lazy("Preparing the series"),
    "features": gettext_lazy("Building features"),
    "statistical": gettext_lazy("Statistical candidates (back-test and forecast)"),
    "lgbm_backtest": gettext_lazy("Gradient-boosted model, back-test"),
    "lgbm_final": gettext_lazy("Gradient-boosted model, final forecast"),
    "backtest": gettext_lazy("Back-testing the candidates"),
    "fit": gettext_lazy("Fitting and forecasting"),
    "selection": gettext_lazy("Choosing each product's method"),
    "quantiles": gettext_lazy("Forecast ranges (quantiles)"),
    "borrow": gettext_lazy("New products: borrowing from the category"),
    "total": gettext_lazy("Engine, all phases"),
    "save": gettext_lazy("Saving forecasts"),
    "plan": gettext_lazy("Computing inventory plans"),
    "plans": gettext_lazy("Computing inventory plans"),
    "wall": gettext_lazy("Whole run, start to finish"),
    "peak_rss_mb": gettext_lazy("Peak memory of a worker"),
}


@register.filter
def phase_label(name: str) -> str:
    return str(PHASE_LABELS.get(name, name))
