"""Product titles and review texts that a spreadsheet would run as formulas reach the user as
text: an apostrophe in CSV, a string cell (never a formula) in the workbook."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, ReviewFactory
from tests.forecast_pages.factories import InventoryPlanFactory

from .helpers import FORMULAS, csv_dicts, xlsx_cells, xlsx_dicts


@pytest.fixture
def hostile(merchant):
    for index, payload in enumerate(FORMULAS):
        product = ProductFactory(merchant=merchant, sku=f"F-{index}", title=payload)
        InventoryPlanFactory(product=product)
        ReviewFactory(product=product, body=payload, title=payload)


def _column_cells(response, header: str):
    rows = xlsx_cells(response)
    index = [cell.value for cell in rows[0]].index(header)
    return [row[index] for row in rows[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("export", "column"),
    [("product-export", "Title"), ("review-export", "Text"), ("forecast-plan", "Product")],
)
def test_formula_text_is_neutralised_in_csv(viewer_client, hostile, export, column):
    rows = csv_dicts(viewer_client.get(reverse(f"{export}-csv")))
    assert sorted(row[column] for row in rows) == sorted("'" + payload for payload in FORMULAS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("export", "column"),
    [("product-export", "Title"), ("review-export", "Text"), ("forecast-plan", "Product")],
)
def test_formula_text_is_a_string_cell_in_the_workbook(viewer_client, hostile, export, column):
    cells = _column_cells(viewer_client.get(reverse(f"{export}-xlsx")), column)
    assert sorted(cell.value for cell in cells) == sorted(FORMULAS)
    assert {cell.data_type for cell in cells} == {"s"}


@pytest.mark.django_db
def test_no_cell_of_any_workbook_is_a_formula(viewer_client, hostile):
    for name in ("product-export-xlsx", "review-export-xlsx", "forecast-plan-xlsx"):
        cells = [cell for row in xlsx_cells(viewer_client.get(reverse(name))) for cell in row]
        assert all(cell.data_type != "f" for cell in cells), name


@pytest.mark.django_db
def test_the_sku_is_neutralised_too(viewer_client, merchant):
    ProductFactory(merchant=merchant, sku="=1+1", title="ok")
    assert csv_dicts(viewer_client.get(reverse("product-export-csv")))[0]["SKU"] == "'=1+1"
    assert xlsx_dicts(viewer_client.get(reverse("product-export-xlsx")))[0]["SKU"] == "=1+1"
