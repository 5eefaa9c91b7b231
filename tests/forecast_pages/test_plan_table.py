"""The inventory plan table: columns, default order, sorting, filters, pager, isolation."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

from .factories import InventoryPlanFactory, SkuForecastFactory, overstock_markdown

PLAN = reverse("forecast-plan")


def _skus(html: str) -> list[str]:
    """SKUs in the order the table lists them."""
    return re.findall(r'href="/forecasting/products/\d+/">([^<]+)</a>', html)


def plan(merchant, sku, category="Drinkware", **fields):
    product = ProductFactory(merchant=merchant, sku=sku, title=f"Title {sku}", category=category)
    return InventoryPlanFactory(product=product, **fields)


@pytest.fixture
def store(merchant):
    """A stockout, an overstock, a slightly risky product and two quiet ones."""
    return {
        "charger": plan(
            merchant,
            "ELE-CHG",
            category="Electronics",
            on_hand=144,
            days_of_cover=4.5,
            stockout_date=dt.date(2030, 3, 16),
            stockout_risk=0.99,
            order_quantity=1200,
            lost_revenue=Decimal("38900.00"),
        ),
        "throw": plan(
            merchant,
            "HTX-THR",
            category="Home Textiles",
            on_hand=2484,
            days_of_cover=1101.0,
            overstock_units=2300,
            overstock_value=Decimal("83835.00"),
            aged_units=2100,
            markdown=overstock_markdown(),
        ),
        "risky": plan(merchant, "KIT-PAN", category="Kitchen", stockout_risk=0.3, days_of_cover=9),
        "quiet": plan(merchant, "DRK-BTL", stockout_risk=0.02, days_of_cover=60),
        "idle": plan(merchant, "TOY-IDL", category="Toys", stockout_risk=0.0, days_of_cover=None),
    }


@pytest.mark.django_db
def test_the_planted_stockout_and_overstock_lead_the_default_order(viewer_client, store):
    html = viewer_client.get(PLAN).content.decode()
    # Most money at stake first: $83,835 of overstock, then $38,900 of sales at risk.
    assert _skus(html)[:3] == ["HTX-THR", "ELE-CHG", "KIT-PAN"]


@pytest.mark.django_db
def test_the_table_shows_every_plan_column(viewer_client, store):
    html = viewer_client.get(PLAN).content.decode()
    for text in (
        "144",  # on hand
        "2,484",
        "99%",  # stockout risk
        "1,200",  # suggested order
        "$83,835.00",  # overstock value in the merchant's currency
        "$38,900.00",  # revenue at risk
        "2,100",  # aged units
        "−30%: ~41 sold in 28 days, $711.14 back",  # markdown
        "no demand",  # no days of cover without demand
        "Title ELE-CHG",
    ):
        assert text in html, text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sort, first",
    [
        ("-stockout_risk", ["ELE-CHG", "KIT-PAN", "DRK-BTL"]),
        ("-overstock_value", ["HTX-THR"]),
        ("days_of_cover", ["ELE-CHG", "KIT-PAN", "DRK-BTL", "HTX-THR", "TOY-IDL"]),
        ("-days_of_cover", ["TOY-IDL", "HTX-THR", "DRK-BTL"]),
        ("stockout_date", ["ELE-CHG"]),
        ("-order_quantity", ["ELE-CHG"]),
        ("sku", ["DRK-BTL", "ELE-CHG", "HTX-THR", "KIT-PAN", "TOY-IDL"]),
    ],
)
def test_the_table_sorts_by_the_chosen_column(viewer_client, store, sort, first):
    html = viewer_client.get(PLAN, {"sort": sort}).content.decode()
    assert _skus(html)[: len(first)] == first


@pytest.mark.django_db
def test_a_column_header_sorts_and_a_second_click_reverses(viewer_client, store):
    html = viewer_client.get(PLAN, {"sort": "-stockout_risk"}).content.decode()
    assert 'href="?sort=stockout_risk"' in html  # the active column links to the reverse
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=-overstock_value"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"view": "at_risk"}, {"ELE-CHG", "KIT-PAN"}),
        ({"view": "overstock"}, {"HTX-THR"}),
        ({"category": "Kitchen"}, {"KIT-PAN"}),
        ({"q": "thr"}, {"HTX-THR"}),
        ({"q": "title kit"}, {"KIT-PAN"}),
        ({"view": "at_risk", "category": "Toys"}, set()),
    ],
)
def test_filters_narrow_the_table(viewer_client, store, query, expected):
    html = viewer_client.get(PLAN, query).content.decode()
    assert set(_skus(html)) == expected
    if not expected:
        assert "No product matches these filters." in html


@pytest.mark.django_db
def test_invalid_query_values_fall_back_to_the_defaults(viewer_client, store):
    response = viewer_client.get(PLAN, {"sort": "drop table", "view": "??", "page": "x"})
    assert response.status_code == 200
    assert _skus(response.content.decode())[0] == "HTX-THR"


@pytest.mark.django_db
def test_the_table_is_paged_fifty_rows_at_a_time(viewer_client, merchant):
    for index in range(55):
        plan(merchant, f"P-{index:03d}")
    first = viewer_client.get(PLAN, {"sort": "sku"}).content.decode()
    second = viewer_client.get(PLAN, {"sort": "sku", "page": 2}).content.decode()
    assert len(_skus(first)) == 50 and len(_skus(second)) == 5
    assert "55 products" in first and "page 1 of 2" in first
    assert _skus(second)[0] == "P-050"


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_table(viewer_client, store):
    response = viewer_client.get(PLAN, {"view": "overstock"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert _skus(html) == ["HTX-THR"]
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_the_accuracy_column_says_how_far_off_the_forecast_typically_is(viewer_client, merchant):
    forecast = SkuForecastFactory(product=ProductFactory(merchant=merchant), mae=3.2)
    InventoryPlanFactory(product=forecast.product, forecast=forecast)
    html = viewer_client.get(PLAN).content.decode()
    assert "± 3 a day" in html
    assert "Typically off by about 3 units a day" in html  # the cell's title


@pytest.mark.django_db
def test_the_summary_counts_the_products_at_risk_and_overstocked(viewer_client, store):
    html = viewer_client.get(PLAN).content.decode()
    assert "2 products at risk of a stockout" in html
    assert "1 overstocked" in html


@pytest.mark.django_db
def test_another_merchants_plans_never_show(viewer_client, store, other_merchant):
    plan(other_merchant, "THEIRS-1", stockout_risk=1.0)
    html = viewer_client.get(PLAN, {"sort": "-stockout_risk"}).content.decode()
    assert "THEIRS-1" not in html
    assert len(_skus(html)) == 5


@pytest.mark.django_db
def test_an_empty_plan_explains_when_plans_appear(viewer_client):
    html = viewer_client.get(PLAN).content.decode()
    assert "No plans yet" in html
    assert "No forecast has run yet." in html


@pytest.mark.django_db
def test_the_plan_page_needs_a_login(client):
    response = client.get(PLAN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_navigation_links_to_the_forecasts(viewer_client):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert f'href="{PLAN}">Forecasts</a>' in html
    assert 'aria-disabled="true">Forecasts' not in html
