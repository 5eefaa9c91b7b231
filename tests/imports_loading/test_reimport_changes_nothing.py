"""Importing the same file again changes nothing: every row counts as unchanged."""

import pytest

from forecasting.models import DailySales
from imports.models import ImportStatus, OrderLine
from products.models import Product, StockLevel, StockSnapshot
from reviews.models import Review

pytestmark = pytest.mark.django_db

FILES = {
    "products": (
        "sku,title,price,category,material\n"
        "BTL-750,Bottle,29.95,Drinkware,steel\n"
        "NEW-1,New thing,5,Misc,\n",
        lambda m: Product.objects.filter(merchant=m).values(
            "sku", "title", "price", "category", "attributes", "updated_at"
        ),
    ),
    "orders": (
        "order_number,sku,quantity,amount,refunded_amount,status,ordered_at\n"
        "1,BTL-750,2,59.90,0,paid,2026-03-02 10:00\n"
        "1,PAN-28,1,43.95,43.95,refunded,2026-03-02 10:00\n"
        "2,BTL-750,3,89.85,0,cancelled,2026-03-03 11:00\n",
        lambda m: OrderLine.objects.filter(merchant=m).values(),
    ),
    "sales": (
        "sku,date,units,revenue\nBTL-750,2026-03-01,5,149.75\nPAN-28,2026-03-01,1,43.95\n",
        lambda m: DailySales.objects.filter(merchant=m).values(),
    ),
    "stock": (
        "sku,on hand,inbound\nBTL-750,40,100\nPAN-28,7,0\n",
        lambda m: (
            list(StockLevel.objects.filter(merchant=m).values())
            + list(StockSnapshot.objects.filter(merchant=m).values())
        ),
    ),
    "reviews": (
        "sku,rating,body,author,created at\n"
        "BTL-750,5,Great bottle,Mia,2026-03-01 09:00\n"
        "PAN-28,2,Scratches easily,Jo,2026-03-02 09:00\n",
        lambda m: Review.objects.filter(merchant=m).values(
            "external_id", "source", "product_id", "rating", "title", "body", "created_at"
        ),
    ),
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_same_file_imported_twice_changes_nothing(merchant, catalog, run_import, kind):
    text, rows_of = FILES[kind]
    first = run_import(merchant, kind, text)
    assert first.status == ImportStatus.SUCCEEDED, first.error_message
    before = sorted(map(repr, rows_of(merchant)))
    daily_before = sorted(map(repr, DailySales.objects.filter(merchant=merchant).values()))

    again = run_import(merchant, kind, text)

    assert again.status == ImportStatus.SUCCEEDED, again.error_message
    assert (again.rows_created, again.rows_updated) == (0, 0)
    assert again.rows_unchanged == first.rows_created + first.rows_updated + first.rows_unchanged
    assert sorted(map(repr, rows_of(merchant))) == before
    assert sorted(map(repr, DailySales.objects.filter(merchant=merchant).values())) == daily_before


def test_a_reimport_that_changes_one_line_updates_only_that_line(merchant, catalog, run_import):
    text = "order_number,sku,quantity,amount,ordered_at\n1,BTL-750,2,59.90,2026-03-02 10:00\n"
    run_import(merchant, "orders", text + "2,PAN-28,1,43.95,2026-03-02 11:00\n")

    again = run_import(merchant, "orders", text + "2,PAN-28,3,131.85,2026-03-02 11:00\n")

    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 1)
    assert again.report["daily_sales"] == {"recomputed": 1, "created": 0}
