"""The chart and the key figures of an alert, from the evidence its detector stored.

`evidence_chart(alert)` returns plain JSON for `static/crisis/evidence_chart.js`:

    {"element_id", "kind", "description" (the chart's text alternative), "facts" [[label, text]],
     "links" [{"label", "url"}] (complaint topics and example reviews),
     "traces": [{"x", "y", "name", "style", "axis"}], "vlines": [{"x", "label"}],
     "hlines": [{"y", "label"}], "y_title", "y2_title", "y_percent"}

`style` is line, dashed, markers, bars, step, band_upper or band_lower (a band is drawn between
a band_upper trace and the band_lower trace right after it). Each kind draws what its detector
measured: the projected stock against the lead time (stockout risk), stock against what is
needed (overstock), sales against the forecast band (sales drop), the negative share against
its baseline (review surge), the rating trend (rating drop). Evidence without a series gives
facts and no chart. Nothing here trusts the evidence's shape: missing or malformed keys are
skipped.
"""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from crisis.models import AlertKind

register = template.Library()

MAX_EXAMPLE_REVIEWS = 5


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _numbers(values) -> list[float | None] | None:
    if not isinstance(values, list):
        return None
    return [_number(value) for value in values]


def _dates(values) -> list[str] | None:
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(value, str) for value in values):
        return None
    return values


def _date_text(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%Y-%m-%d")
    except ValueError:
        return None


def _int_text(value) -> str | None:
    number = _number(value)
    return None if number is None else f"{number:,.0f}"


def _decimal_text(value, places: int = 1) -> str | None:
    number = _number(value)
    return None if number is None else f"{number:,.{places}f}"


def _percent_text(value, places: int = 0) -> str | None:
    number = _number(value)
    return None if number is None else f"{number * 100:.{places}f} %"


def _money_text(value, currency: str) -> str | None:
    number = _number(value)
    return None if number is None else f"{number:,.2f} {currency}".strip()


def _series(block, *keys):
    """The first of `keys` in `block` that is a list of numbers as long as its dates."""
    if not isinstance(block, dict):
        return None
    dates = _dates(block.get("dates") or block.get("x"))
    if dates is None:
        return None
    for key in keys:
        values = _numbers(block.get(key))
        if values is not None and len(values) == len(dates):
            return values
    return None


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _stars_text(mean, count) -> str | None:
    mean_text = _decimal_text(mean, 2)
    if mean_text is None:
        return None
    if _number(count) is None:
        return mean_text
    return _("%(mean)s from %(count)s reviews") % {"mean": mean_text, "count": _int_text(count)}


def _trace(x, y, name, style, axis: str = "y") -> dict:
    return {"x": x, "y": y, "name": name, "style": style, "axis": axis}


class _Chart:
    def __init__(self, alert, currency: str):
        self.alert = alert
        self.evidence = alert.evidence if isinstance(alert.evidence, dict) else {}
        self.currency = currency
        self.traces: list[dict] = []
        self.vlines: list[dict] = []
        self.hlines: list[dict] = []
        self.facts: list[tuple[str, str]] = []
        self.links: list[dict] = []
        self.y_title = ""
        self.y2_title = ""
        self.y_percent = False
        self.description = ""

    def fact(self, label: str, text: str | None) -> None:
        if text not in (None, ""):
            self.facts.append((label, text))

    def as_json(self) -> dict | None:
        if not self.traces and not self.facts and not self.links:
            return None
        return {
            "element_id": f"evidence-{self.alert.pk}",
            "kind": self.alert.kind,
            "description": self.description or self.alert.title,
            "facts": [list(fact) for fact in self.facts],
            "links": self.links,
            "traces": self.traces,
            "vlines": self.vlines,
            "hlines": self.hlines,
            "y_title": self.y_title,
            "y2_title": self.y2_title,
            "y_percent": self.y_percent,
        }

    # --- shared pieces ---------------------------------------------------------------------------

    def history(self, *, stock: bool) -> None:
        """Units sold per day (bars) and, with `stock`, end-of-day stock on the second axis."""
        history = self.evidence.get("history")
        dates = _dates(history.get("dates")) if isinstance(history, dict) else None
        units = _series(history, "units")
        if dates is None or units is None:
            return
        self.traces.append(_trace(dates, units, _("Units sold a day"), "bars"))
        self.y_title = _("Units a day")
        if stock:
            on_hand = _series(history, "on_hand")
            if on_hand is not None and any(value is not None for value in on_hand):
                self.traces.append(_trace(dates, on_hand, _("Stock on hand"), "step", "y2"))
                self.y2_title = _("Units in stock")

    def plan_facts(self) -> None:
        plan = self.evidence.get("plan")
        if not isinstance(plan, dict):
            return
        self.fact(_("Plan: suggested order"), _int_text(plan.get("order_quantity")))
        self.fact(_("Plan: revenue at risk"), _money_text(plan.get("lost_revenue"), self.currency))
        self.fact(
            _("Plan: overstock value"), _money_text(plan.get("overstock_value"), self.currency)
        )

    # --- kinds -----------------------------------------------------------------------------------

    def stockout(self) -> None:
        evidence = self.evidence
        projection = evidence.get("projection")
        dates = _dates(projection.get("dates")) if isinstance(projection, dict) else None
        available = _series(projection, "available")
        expected = _series(projection, "expected_cumulative")
        if dates and available and expected:
            # Stock left at the end of each day: what is on the shelf (plus inbound once it
            # lands) minus the demand expected so far; below zero is demand that goes unserved.
            def left(demand):
                return [
                    None if a is None or d is None else round(a - d, 1)
                    for a, d in zip(available, demand, strict=True)
                ]

            low = _series(projection, "cumulative_p90")
            high = _series(projection, "cumulative_p10")
            if low and high:
                self.traces.append(_trace(dates, left(high), "P90", "band_upper"))
                self.traces.append(
                    _trace(dates, left(low), _("Likely range (P10–P90)"), "band_lower")
                )
            self.traces.append(_trace(dates, left(expected), _("Projected stock"), "line"))
            self.hlines.append({"y": 0, "label": _("Out of stock")})
            lead = _number(evidence.get("lead_time_days"))
            if lead is not None:
                try:
                    first = dt.date.fromisoformat(dates[0])
                except ValueError:
                    first = None
                if first is not None:
                    arrival = first + dt.timedelta(days=int(lead))
                    self.vlines.append(
                        {
                            "x": arrival.isoformat(),
                            "label": _("An order placed today arrives"),
                        }
                    )
            stockout = _date_text(evidence.get("expected_stockout_date"))
            if stockout:
                self.vlines.append({"x": stockout, "label": _("Expected stockout")})
            self.y_title = _("Units left")
            self.description = _(
                "Chart of the stock projected to be left each day until a new order could "
                "arrive, with its likely range and the day it runs out."
            )
        else:
            self.history(stock=True)
        self.fact(_("On hand"), _int_text(evidence.get("on_hand")))
        self.fact(_("Inbound"), _int_text(evidence.get("inbound")))
        self.fact(_("Lead time (days)"), _int_text(evidence.get("lead_time_days")))
        self.fact(_("Days of cover"), _decimal_text(evidence.get("days_of_cover")))
        self.fact(_("Chance of running out"), _percent_text(evidence.get("probability")))
        self.fact(_("Expected stockout"), _date_text(evidence.get("expected_stockout_date")))
        demand = evidence.get("demand_over_lead_time")
        if isinstance(demand, dict) and _number(demand.get("p50")) is not None:
            self.fact(
                _("Demand over the lead time"),
                _("%(p50)s units (likely %(p10)s–%(p90)s)")
                % {
                    "p50": _int_text(demand.get("p50")),
                    "p10": _int_text(demand.get("p10")) or "?",
                    "p90": _int_text(demand.get("p90")) or "?",
                },
            )
        self.fact(_("Units short"), _int_text(evidence.get("lost_units")))
        self.plan_facts()

    def overstock(self) -> None:
        evidence = self.evidence
        self.history(stock=True)
        needed = _number(evidence.get("needed_units"))
        if needed is not None and self.y2_title:
            self.hlines.append({"y": needed, "label": _("Stock needed"), "axis": "y2"})
        self.description = _(
            "Chart of daily units sold and the stock on hand, against the stock needed for the "
            "lead time and the cover target."
        )
        self.fact(_("On hand"), _int_text(evidence.get("on_hand")))
        self.fact(_("Inbound"), _int_text(evidence.get("inbound")))
        self.fact(_("Expected units a day"), _decimal_text(evidence.get("expected_daily_units"), 2))
        cover = evidence.get("days_of_cover")
        self.fact(
            _("Days of cover"),
            _decimal_text(cover) if cover is not None else _("endless (no sales expected)"),
        )
        self.fact(_("Stock needed"), _int_text(evidence.get("needed_units")))
        self.fact(_("Units beyond it"), _int_text(evidence.get("excess_units")))
        self.fact(_("Value of a unit"), _money_text(evidence.get("unit_value"), self.currency))
        self.fact(
            _("Tied up in all stock"), _money_text(evidence.get("tied_up_total"), self.currency)
        )
        self.fact(_("Aged units"), _int_text(evidence.get("aged_units")))
        self.fact(
            _("Days since the last receipt"), _int_text(evidence.get("days_since_last_receipt"))
        )
        self.plan_facts()

    def sales_drop(self) -> None:
        evidence = self.evidence
        chart = evidence.get("chart")
        dates = _dates(chart.get("dates")) if isinstance(chart, dict) else None
        actual = _series(chart, "actual")
        if dates and actual:
            low, high = _series(chart, "p10"), _series(chart, "p90")
            if low and high:
                self.traces.append(_trace(dates, high, "P90", "band_upper"))
                self.traces.append(_trace(dates, low, _("Likely range (P10–P90)"), "band_lower"))
            expected = _series(chart, "expected")
            if expected:
                self.traces.append(_trace(dates, expected, _("Expected"), "dashed"))
            self.traces.append(_trace(dates, actual, _("Units sold"), "markers"))
            began = _date_text(evidence.get("drop_began"))
            if began:
                self.vlines.append({"x": began, "label": _("Drop began")})
            self.y_title = _("Units a day")
            self.description = _(
                "Chart of daily units sold against the expected range: sales under the band "
                "are the drop."
            )
        else:
            self.history(stock=True)
        self.fact(_("Drop began"), _date_text(evidence.get("drop_began")))
        self.fact(_("Expected units since"), _decimal_text(evidence.get("expected_units")))
        self.fact(_("Units sold since"), _int_text(evidence.get("actual_units")))
        self.fact(_("Drop"), _percent_text(evidence.get("drop_share")))
        self.fact(_("Days under the likely range"), _int_text(evidence.get("days_below_p10")))
        self.fact(
            _("Revenue lost so far"),
            _money_text(evidence.get("lost_revenue_so_far"), self.currency),
        )
        left_out = _number(evidence.get("stockout_days_left_out"))
        if left_out:
            self.fact(_("Out-of-stock days not counted"), _int_text(left_out))
        promotions = _number(evidence.get("promotion_days_left_out"))
        if promotions:
            self.fact(_("Promotion days not counted"), _int_text(promotions))
        self.plan_facts()

    def _weekly(self, *, values, name: str, y_title: str, percent: bool) -> None:
        chart = self.evidence.get("chart")
        weeks = _dates(chart.get("weeks")) if isinstance(chart, dict) else None
        if not weeks or values is None or len(values) != len(weeks):
            return
        self.traces.append(_trace(weeks, values, name, "line"))
        reviews = _numbers(chart.get("reviews"))
        if reviews is not None and len(reviews) == len(weeks):
            self.traces.insert(0, _trace(weeks, reviews, _("Reviews a week"), "bars", "y2"))
            self.y2_title = _("Reviews a week")
        self.y_title = y_title
        self.y_percent = percent

    def review_links(self) -> None:
        for topic in self.evidence.get("top_topics") or []:
            if isinstance(topic, dict) and _is_id(topic.get("id")):
                self.links.append(
                    {
                        "label": _("Complaint topic “%(label)s” (%(count)s reviews)")
                        % {
                            "label": topic.get("label") or topic["id"],
                            "count": topic.get("reviews", "?"),
                        },
                        "url": _url("review-topic", topic_id=topic["id"]),
                    }
                )
        for review_id in (self.evidence.get("example_review_ids") or [])[:MAX_EXAMPLE_REVIEWS]:
            if _is_id(review_id):
                self.links.append(
                    {
                        "label": _("Review %(number)s") % {"number": review_id},
                        "url": _url("review-detail", review_id=review_id),
                    }
                )

    def review_surge(self) -> None:
        evidence = self.evidence
        chart = evidence.get("chart") if isinstance(evidence.get("chart"), dict) else {}
        reviews, negative = _numbers(chart.get("reviews")), _numbers(chart.get("negative"))
        share = None
        if reviews is not None and negative is not None and len(reviews) == len(negative):
            share = [
                round(bad / total, 4) if total and bad is not None else None
                for bad, total in zip(negative, reviews, strict=True)
            ]
        self._weekly(
            values=share,
            name=_("Negative share"),
            y_title=_("Share of negative reviews"),
            percent=True,
        )
        if self.traces:
            baseline = _number(evidence.get("baseline_share"))
            if baseline is not None:
                self.hlines.append({"y": baseline, "label": _("Usual negative share")})
            self.description = _(
                "Chart of the share of negative reviews week by week against its usual level, "
                "with the number of reviews each week."
            )
        self.fact(_("About"), evidence.get("aspect_label") or None)
        recent, total = evidence.get("recent_negative"), evidence.get("recent_reviews")
        if _number(recent) is not None and _number(total) is not None:
            self.fact(
                _("Negative reviews, last %(days)s days") % {"days": evidence.get("window_days")},
                _("%(negative)s of %(reviews)s (%(share)s)")
                % {
                    "negative": _int_text(recent),
                    "reviews": _int_text(total),
                    "share": _percent_text(evidence.get("recent_share")) or "?",
                },
            )
        self.fact(
            _("Usual negative share (%(days)s days before)")
            % {"days": evidence.get("baseline_days")},
            _percent_text(evidence.get("baseline_share")),
        )
        self.fact(
            _("Negative share of the whole store"), _percent_text(evidence.get("store_share"))
        )
        self.p_value()
        self.review_links()

    def rating_drop(self) -> None:
        evidence = self.evidence
        chart = evidence.get("chart") if isinstance(evidence.get("chart"), dict) else {}
        self._weekly(
            values=_numbers(chart.get("average_rating")),
            name=_("Average rating"),
            y_title=_("Stars"),
            percent=False,
        )
        if self.traces:
            baseline = _number(evidence.get("baseline_mean"))
            if baseline is not None:
                self.hlines.append({"y": baseline, "label": _("Usual rating")})
            self.description = _(
                "Chart of the average rating week by week against its usual level, with the "
                "number of reviews each week."
            )
        self.fact(
            _("Average rating, last %(days)s days") % {"days": evidence.get("window_days")},
            _stars_text(evidence.get("recent_mean"), evidence.get("recent_reviews")),
        )
        self.fact(
            _("Average rating before"),
            _stars_text(evidence.get("baseline_mean"), evidence.get("baseline_reviews")),
        )
        self.fact(_("Drop (stars)"), _decimal_text(evidence.get("drop"), 2))
        self.p_value()
        self.review_links()

    def p_value(self) -> None:
        p_value = _number(self.evidence.get("p_value"))
        if p_value is not None:
            self.fact(_("Chance of a fluke (p-value)"), f"{p_value:.2g}")


BUILDERS = {
    AlertKind.STOCKOUT_RISK: _Chart.stockout,
    AlertKind.OVERSTOCK: _Chart.overstock,
    AlertKind.SALES_DROP: _Chart.sales_drop,
    AlertKind.REVIEW_SURGE: _Chart.review_surge,
    AlertKind.RATING_DROP: _Chart.rating_drop,
}


def evidence_chart(alert, *, currency: str = "") -> dict | None:
    """The alert's chart and key figures (module docstring), or None when its evidence holds
    neither."""
    evidence = alert.evidence if isinstance(alert.evidence, dict) else {}
    chart = _Chart(alert, currency or str(evidence.get("currency") or ""))
    build = BUILDERS.get(alert.kind)
    if build is not None:
        build(chart)
    return chart.as_json()


@register.simple_tag
def alert_chart(alert, currency: str = "") -> dict | None:
    """`{% alert_chart alert currency as chart %}`."""
    return evidence_chart(alert, currency=currency)
