"""The daily sales export: a date range, the product list's filters, oldest day first."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import DailySalesFactory, ProductFactory

from .helpers import csv_dicts, xlsx_cells, xlsx_dicts

CSV_URL = reverse("sales-export-csv")
XLSX_URL = reverse("sales-export-xlsx")
START = dt.date(2026, 1, 1)


@pytest.fixture
def sales(merchant):
    kettle = ProductFactory(merchant=merchant, sku="KET-1", category="Kitchen")
    bottle = ProductFactory(merchant=merchant, sku="BOT-1", category="Drinkware")
    for day in range(10):
        for product in (kettle, bottle):
            DailySalesFactory(
                product=product,
                date=START + dt.timedelta(days=day),
                units=day,
                revenue=Decimal(day) * Decimal("2.50"),
                on_promotion=day == 3,
            )
    return kettle, bottle


@pytest.mark.django_db
def test_only_the_days_of_the_range_are_exported_oldest_first(viewer_client, sales):
    rows = csv_dicts(
        viewer_client.get(CSV_URL, {"date_from": "2026-01-03", "date_to": "2026-01-05"})
    )
    assert [(row["Date"], row["SKU"]) for row in rows] == [
        ("2026-01-03", "BOT-1"),
        ("2026-01-03", "KET-1"),
        ("2026-01-04", "BOT-1"),
        ("2026-01-04", "KET-1"),
        ("2026-01-05", "BOT-1"),
        ("2026-01-05", "KET-1"),
    ]
    assert rows[2]["Revenue (USD)"] == "7.50" and rows[2]["On promotion"] == "yes"
    assert rows[0]["On promotion"] == "no"


@pytest.mark.django_db
def test_an_open_range_and_the_product_filters_are_respected(viewer_client, sales):
    rows = csv_dicts(viewer_client.get(CSV_URL, {"date_from": "2026-01-08", "category": "Kitchen"}))
    assert [(row["Date"], row["SKU"]) for row in rows] == [
        ("2026-01-08", "KET-1"),
        ("2026-01-09", "KET-1"),
        ("2026-01-10", "KET-1"),
    ]
    assert len(csv_dicts(viewer_client.get(CSV_URL))) == 20


@pytest.mark.django_db
def test_one_product_can_be_exported(viewer_client, sales):
    kettle, _bottle = sales
    rows = csv_dicts(viewer_client.get(CSV_URL, {"product": kettle.pk}))
    assert {row["SKU"] for row in rows} == {"KET-1"} and len(rows) == 10


@pytest.mark.django_db
def test_a_range_that_ends_before_it_starts_is_refused(viewer_client, sales):
    response = viewer_client.get(CSV_URL, {"date_from": "2026-01-05", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert "end date is before the start date" in response.content.decode()
    bad = viewer_client.get(CSV_URL, {"date_from": "yesterday"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_a_refund_day_keeps_its_negative_revenue_as_a_number(viewer_client, merchant):
    product = ProductFactory(merchant=merchant, sku="REF-1")
    DailySalesFactory(product=product, date=START, units=0, revenue=Decimal("-12.50"))
    assert csv_dicts(viewer_client.get(CSV_URL))[0]["Revenue (USD)"] == "-12.50"
    cell = xlsx_cells(viewer_client.get(XLSX_URL))[1][5]
    assert cell.value == -12.5 and cell.data_type == "n"


@pytest.mark.django_db
def test_the_workbook_has_real_dates_and_booleans(viewer_client, sales):
    rows = xlsx_dicts(viewer_client.get(XLSX_URL, {"date_to": "2026-01-04"}))
    assert len(rows) == 8
    assert rows[-1]["Date"] == dt.datetime(2026, 1, 4)
    assert rows[-1]["On promotion"] is True and rows[0]["On promotion"] is False
    assert rows[-1]["Revenue (USD)"] == pytest.approx(7.5)
