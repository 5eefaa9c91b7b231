"""The product export: the list's filters and order, every row, stock, currency, both formats."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, StockLevelFactory

from .helpers import csv_dicts, csv_rows, xlsx_dicts

CSV_URL = reverse("product-export-csv")
XLSX_URL = reverse("product-export-xlsx")


@pytest.fixture
def catalog(merchant):
    products = []
    for index in range(60):  # more than one page of the list
        product = ProductFactory(
            merchant=merchant,
            sku=f"SKU-{index:03d}",
            title=f"Bottle {index}",
            category="Kitchen" if index % 2 else "Drinkware",
            price=Decimal("10.00") + index,
        )
        StockLevelFactory(product=product, on_hand=index, inbound=1)
        products.append(product)
    return products


@pytest.mark.django_db
def test_the_csv_has_every_filtered_product_in_the_lists_order(viewer_client, catalog):
    response = viewer_client.get(CSV_URL, {"category": "Kitchen", "sort": "-price"})
    assert 'filename="products-alpha-' in response["Content-Disposition"]
    rows = csv_dicts(response)
    assert len(rows) == 30  # every Kitchen product, not one page
    assert [row["SKU"] for row in rows[:3]] == ["SKU-059", "SKU-057", "SKU-055"]
    first = rows[0]
    assert first["Price (USD)"] == "69.00"
    assert first["Unit cost (USD)"] == "9.50"
    assert first["On hand"] == "59" and first["Inbound"] == "1"
    assert first["Status"] == "active"
    assert first["Attributes"] == '{"capacity": "750 ml", "material": "stainless steel"}'
    assert first["Updated (UTC)"].endswith("+00:00")


@pytest.mark.django_db
def test_the_search_filter_is_respected(viewer_client, catalog):
    rows = csv_dicts(viewer_client.get(CSV_URL, {"q": "Bottle 1"}))
    assert {row["SKU"] for row in rows} == {"SKU-001", *(f"SKU-{n:03d}" for n in range(10, 20))}


@pytest.mark.django_db
def test_the_workbook_holds_the_same_rows_as_typed_cells(viewer_client, catalog):
    rows = xlsx_dicts(viewer_client.get(XLSX_URL, {"status": "active", "sort": "stock"}))
    assert len(rows) == 60
    assert rows[0]["SKU"] == "SKU-000"
    assert rows[0]["Price (USD)"] == pytest.approx(10.0)
    assert rows[5]["On hand"] == 5


@pytest.mark.django_db
def test_products_in_several_currencies_say_so_row_by_row(viewer_client, merchant):
    ProductFactory(merchant=merchant, sku="A", currency="USD")
    ProductFactory(merchant=merchant, sku="B", currency="CNY", price=Decimal("88.00"))
    header, *rows = csv_rows(viewer_client.get(CSV_URL))
    assert "Price (in the Currency column)" in header
    currency = header.index("Currency")
    assert [row[currency] for row in rows] == ["USD", "CNY"]


@pytest.mark.django_db
def test_a_product_without_stock_has_empty_stock_cells(viewer_client, merchant):
    ProductFactory(merchant=merchant, sku="NOSTOCK")
    (row,) = csv_dicts(viewer_client.get(CSV_URL))
    assert row["On hand"] == "" and row["Inbound"] == ""
