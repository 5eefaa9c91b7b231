"""CSV and Excel exports: exactly the filtered, sorted table, every row, currency named."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ProductFactory

from .factories import InventoryPlanFactory, SkuForecastFactory, overstock_markdown

CSV_URL = reverse("forecast-plan-csv")
XLSX_URL = reverse("forecast-plan-xlsx")


def _csv(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def store(merchant):
    plans = []
    for index in range(60):  # more than one page of the table
        product = ProductFactory(
            merchant=merchant,
            sku=f"SKU-{index:03d}",
            category="Kitchen" if index % 2 else "Drinkware",
        )
        forecast = SkuForecastFactory(product=product, mae=2.0 + index / 100)
        plans.append(
            InventoryPlanFactory(
                product=product,
                forecast=forecast,
                stockout_risk=index / 100,
                overstock_units=index,
                overstock_value=Decimal(index) * Decimal("10.50"),
                markdown=overstock_markdown() if index == 59 else {},
            )
        )
    return plans


@pytest.mark.django_db
def test_the_csv_has_a_header_and_every_filtered_row_in_the_tables_order(viewer_client, store):
    response = viewer_client.get(CSV_URL, {"category": "Kitchen", "sort": "-stockout_risk"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="inventory-plan-alpha-' in response["Content-Disposition"]
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["SKU", "Product", "Category"]
    assert "Overstock value (USD)" in header
    assert "Stockout risk (%)" in header
    assert len(body) == 30  # all Kitchen rows, not a page of them
    assert [row[0] for row in body][:3] == ["SKU-059", "SKU-057", "SKU-055"]
    first = dict(zip(header, body[0], strict=True))
    assert first["Stockout risk (%)"] == "59.0"
    assert first["Overstock value (USD)"] == "619.50"
    assert first["Markdown price cut (%)"] == "30.0"
    assert first["Forecast accuracy"].startswith("Typically off by about 3 units a day")


@pytest.mark.django_db
def test_the_workbook_holds_the_same_rows_as_numbers(viewer_client, store):
    response = viewer_client.get(XLSX_URL, {"view": "overstock", "sort": "-overstock_value"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = _xlsx(response)
    header, body = rows[0], rows[1:]
    assert len(body) == 59  # index 0 has no overstock
    values = dict(zip(header, body[0], strict=True))
    assert values["SKU"] == "SKU-059"
    assert values["Overstock value (USD)"] == pytest.approx(619.5)
    assert values["Stockout risk"] == pytest.approx(0.59)
    assert values["On hand"] == 300


@pytest.mark.django_db
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(viewer_client, merchant):
    product = ProductFactory(merchant=merchant, sku="=HYPERLINK(1)", title="@SUM(A1)")
    InventoryPlanFactory(product=product)
    rows = _csv(viewer_client.get(CSV_URL))
    assert rows[1][:2] == ["'=HYPERLINK(1)", "'@SUM(A1)"]
    workbook = load_workbook(io.BytesIO(b"".join(viewer_client.get(XLSX_URL).streaming_content)))
    cell = workbook.active["A2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


@pytest.mark.django_db
def test_the_currency_in_the_headers_is_the_merchants(viewer_client, merchant):
    merchant.currency = "CNY"
    merchant.save()
    InventoryPlanFactory(product=ProductFactory(merchant=merchant, currency="CNY"))
    header = _csv(viewer_client.get(CSV_URL))[0]
    assert "Overstock value (CNY)" in header and "Revenue at risk (CNY)" in header


@pytest.mark.django_db
def test_the_export_reads_the_rows_in_a_fixed_number_of_queries(viewer_client, store):
    with CaptureQueriesContext(connection) as queries:
        rows = _csv(viewer_client.get(CSV_URL))
    assert len(rows) == 61
    assert len(queries) <= 8  # session, user, membership, categories, rows: nothing per row


@pytest.mark.django_db
def test_the_export_never_contains_another_merchants_rows(viewer_client, store, other_merchant):
    InventoryPlanFactory(product=ProductFactory(merchant=other_merchant, sku="THEIRS"))
    skus = [row[0] for row in _csv(viewer_client.get(CSV_URL))[1:]]
    assert "THEIRS" not in skus and len(skus) == 60


@pytest.mark.django_db
def test_an_empty_plan_exports_just_the_header(viewer_client):
    assert len(_csv(viewer_client.get(CSV_URL))) == 1
    assert len(_xlsx(viewer_client.get(XLSX_URL))) == 1
