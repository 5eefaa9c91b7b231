"""Each alert kind's evidence becomes a chart with a text alternative and its key figures;
malformed evidence never breaks a page."""

import pytest

from crisis.models import AlertKind
from crisis.templatetags.crisis_evidence import evidence_chart

from .factories import (
    AlertFactory,
    rating_drop_evidence,
    review_surge_evidence,
    sales_drop_evidence,
    stockout_evidence,
)


def _names(chart) -> set[str]:
    return {trace["name"] for trace in chart["traces"]}


@pytest.mark.django_db
def test_a_stockout_draws_the_projected_stock_against_the_lead_time(merchant):
    alert = AlertFactory.build(pk=1, kind=AlertKind.STOCKOUT_RISK, evidence=stockout_evidence())
    chart = evidence_chart(alert, currency="USD")
    assert _names(chart) >= {"Projected stock", "Likely range (P10–P90)"}
    projected = next(t for t in chart["traces"] if t["name"] == "Projected stock")
    assert projected["y"][0] == 48.0 and projected["y"][-1] < 0  # 60 on hand, 12 a day
    assert {line["label"] for line in chart["vlines"]} == {
        "An order placed today arrives",
        "Expected stockout",
    }
    assert chart["hlines"] == [{"y": 0, "label": "Out of stock"}]
    assert ["Chance of running out", "93 %"] in chart["facts"]
    assert chart["description"]


@pytest.mark.django_db
def test_a_sales_drop_draws_sales_against_the_forecast_band(merchant):
    alert = AlertFactory.build(pk=2, kind=AlertKind.SALES_DROP, evidence=sales_drop_evidence())
    chart = evidence_chart(alert, currency="USD")
    assert _names(chart) == {"P90", "Likely range (P10–P90)", "Expected", "Units sold"}
    assert chart["vlines"][0]["label"] == "Drop began"
    assert ["Drop", "55 %"] in chart["facts"]


@pytest.mark.django_db
def test_a_review_surge_draws_the_negative_share_against_its_baseline(merchant):
    alert = AlertFactory.build(pk=3, kind=AlertKind.REVIEW_SURGE, evidence=review_surge_evidence())
    chart = evidence_chart(alert)
    share = next(t for t in chart["traces"] if t["name"] == "Negative share")
    assert share["y"][-1] == 0.7 and chart["y_percent"] is True
    assert chart["hlines"] == [{"y": 0.1, "label": "Usual negative share"}]
    assert any(link["url"] == "/reviews/topics/7/" for link in chart["links"])
    assert any(link["url"] == "/reviews/12/" for link in chart["links"])


@pytest.mark.django_db
def test_a_rating_drop_draws_the_rating_trend(merchant):
    alert = AlertFactory.build(pk=4, kind=AlertKind.RATING_DROP, evidence=rating_drop_evidence())
    chart = evidence_chart(alert)
    assert "Average rating" in _names(chart)
    assert chart["hlines"][0]["y"] == 4.5
    assert ["Drop (stars)", "1.10"] in chart["facts"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", AlertKind.values)
@pytest.mark.parametrize(
    "evidence",
    [
        {},
        {"chart": "nonsense", "projection": [1, 2], "history": {"dates": "x"}},
        {"chart": {"dates": ["2025-01-01"], "actual": [1, 2]}, "p_value": "abc"},
        {"chart": {"weeks": ["2025-01-01"], "reviews": [0], "negative": [0]}},
    ],
)
def test_malformed_evidence_gives_no_chart_rather_than_an_error(merchant, kind, evidence):
    alert = AlertFactory.build(pk=5, kind=kind, evidence=evidence)
    chart = evidence_chart(alert)
    assert chart is None or isinstance(chart["traces"], list)
