"""SKUs the catalogue does not have: reported and refused, or created on request."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.models import DailySales
from imports.models import ImportMode, ImportStatus
from products.models import Product, StockLevel
from reviews.models import Review

pytestmark = pytest.mark.django_db

ORDERS = (
    "order_number,sku,quantity,amount,title,ordered_at\n"
    "1,BTL-750,1,29.95,Bottle,2026-03-02 09:00\n"
    "2,NEW-A,2,50.00,Bamboo cutting board,2026-03-02 10:00\n"
    "3,NEW-A,1,25.00,Bamboo cutting board,2026-03-03 10:00\n"
    "4,NEW-B,1,10.00,,2026-03-03 11:00\n"
)


def test_unknown_skus_are_listed_and_their_rows_refused(merchant, catalog, run_import):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.VALID_ROWS)

    assert batch.status == ImportStatus.SUCCEEDED
    assert batch.unknown_skus == ["NEW-A", "NEW-B"]
    assert batch.rows_rejected == 3
    assert batch.report["errors_by_code"] == {"unknown_sku": 3}
    assert not Product.objects.filter(merchant=merchant, sku__startswith="NEW-").exists()


def test_unknown_skus_become_minimal_products_when_asked(merchant, catalog, run_import):
    batch = run_import(
        merchant,
        "orders",
        ORDERS,
        mode=ImportMode.ALL_OR_NOTHING,
        options={"create_unknown_skus": True},
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.report["products_created"] == 2
    board = Product.objects.get(merchant=merchant, sku="NEW-A")
    assert (board.title, board.price, board.currency) == (
        "Bamboo cutting board",
        Decimal("25.00"),
        merchant.currency,
    )
    assert Product.objects.get(merchant=merchant, sku="NEW-B").title == "NEW-B"
    assert DailySales.objects.get(product=board, date=dt.date(2026, 3, 2)).units == 2


@pytest.mark.parametrize(
    ("kind", "text", "model"),
    [
        ("sales", "sku,date,units\nNEW-S,2026-03-01,4\n", DailySales),
        ("stock", "sku,on hand\nNEW-S,9\n", StockLevel),
        ("reviews", "sku,body,rating\nNEW-S,Lovely,5\n", Review),
    ],
)
def test_every_kind_that_names_skus_can_create_them(merchant, run_import, kind, text, model):
    batch = run_import(merchant, kind, text, options={"create_unknown_skus": True})

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    product = Product.objects.get(merchant=merchant, sku="NEW-S")
    assert model.objects.filter(product=product).count() == 1
