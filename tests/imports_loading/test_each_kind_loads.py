"""Each kind of file, through the import job, lands in its table."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.models import DailySales
from imports.models import ImportStatus, OrderLine
from jobs.models import JobStatus
from products.models import Product, StockLevel, StockSnapshot
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_a_products_file_creates_and_updates_products_with_their_attributes(merchant, run_import):
    Product.objects.create(merchant=merchant, sku="OLD-1", title="Old title", price=1)

    batch = run_import(
        merchant,
        "products",
        "sku,title,price,category,cost,material\n"
        "OLD-1,Renamed bottle,12.50,Drinkware,4.10,steel\n"
        "NEW-2,Glass bottle,21.95,Drinkware,,glass\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 1, 0)
    old = Product.objects.get(merchant=merchant, sku="OLD-1")
    assert (old.title, old.price, old.cost) == ("Renamed bottle", Decimal("12.50"), Decimal("4.10"))
    assert old.attributes == {"material": "steel"}
    new = Product.objects.get(merchant=merchant, sku="NEW-2")
    assert (new.title, new.price, new.cost, new.currency) == (
        "Glass bottle",
        Decimal("21.95"),
        None,
        merchant.currency,
    )


def test_a_products_file_without_a_column_keeps_what_the_product_had(merchant, run_import):
    Product.objects.create(
        merchant=merchant, sku="A-1", title="Kept", price=3, category="Kitchen", brand="Acme"
    )

    batch = run_import(merchant, "products", "sku,title,price\nA-1,Kept,9.90\n")

    assert batch.status == ImportStatus.SUCCEEDED
    product = Product.objects.get(merchant=merchant, sku="A-1")
    assert (product.price, product.category, product.brand) == (Decimal("9.90"), "Kitchen", "Acme")


def test_an_orders_file_writes_order_lines_and_the_daily_sales_they_make(
    merchant, catalog, run_import
):
    batch = run_import(
        merchant,
        "orders",
        "order_number,sku,quantity,amount,ordered_at\n"
        "1001,BTL-750,2,59.90,2026-03-02 10:15:00\n"
        "1001,PAN-28,1,43.95,2026-03-02 10:15:00\n"
        "1002,BTL-750,1,29.95,2026-03-02 18:00:00\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.rows_created == 3
    line = OrderLine.objects.get(merchant=merchant, order_number="1001", line_key="BTL-750")
    assert (line.product, line.quantity, line.amount, line.batch_id) == (
        catalog["BTL-750"],
        2,
        Decimal("59.90"),
        batch.pk,
    )
    day = dt.date(2026, 3, 2)
    bottle = DailySales.objects.get(product=catalog["BTL-750"], date=day)
    assert (bottle.units, bottle.revenue, bottle.merchant_id) == (3, Decimal("89.85"), merchant.pk)
    assert batch.report["daily_sales"] == {"recomputed": 2, "created": 2}
    assert batch.report["next_steps"] == ["crisis_scan", "forecast_nightly"]


def test_a_sales_file_writes_daily_sales(merchant, catalog, run_import):
    batch = run_import(
        merchant,
        "sales",
        "sku,date,units,revenue,promotion\n"
        "BTL-750,2026-03-01,5,149.75,yes\n"
        "PAN-28,2026-03-01,0,0,no\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    sales = DailySales.objects.get(product=catalog["BTL-750"], date=dt.date(2026, 3, 1))
    assert (sales.units, sales.revenue, sales.on_promotion) == (5, Decimal("149.75"), True)
    assert DailySales.objects.filter(merchant=merchant).count() == 2


def test_a_stock_file_sets_the_levels_and_records_a_snapshot_for_its_date(
    merchant, catalog, run_import
):
    batch = run_import(
        merchant,
        "stock",
        "sku,on hand,inbound,date\n"
        "BTL-750,40,100,2026-03-01\n"
        "PAN-28,7,,2026-03-01\n"
        "PAN-28,5,,2026-03-02\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    levels = {
        level.product.sku: (level.on_hand, level.inbound)
        for level in StockLevel.objects.filter(merchant=merchant).select_related("product")
    }
    assert levels == {"BTL-750": (40, 100), "PAN-28": (5, 0)}
    snapshots = set(
        StockSnapshot.objects.filter(merchant=merchant).values_list(
            "product__sku", "date", "on_hand"
        )
    )
    assert snapshots == {
        ("BTL-750", dt.date(2026, 3, 1), 40),
        ("PAN-28", dt.date(2026, 3, 1), 7),
        ("PAN-28", dt.date(2026, 3, 2), 5),
    }


def test_a_reviews_file_writes_reviews_and_sends_them_for_analysis(merchant, catalog, run_import):
    batch = run_import(
        merchant,
        "reviews",
        "review id,sku,rating,body,created at\n"
        "r-1,BTL-750,5,Keeps water cold all day,2026-03-01 09:00\n"
        "r-2,PAN-28,1,不粘涂层很快就掉了,2026-03-02 10:00\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    reviews = Review.objects.filter(merchant=merchant).order_by("external_id")
    assert [(r.external_id, r.product.sku, r.rating, r.language) for r in reviews] == [
        ("r-1", "BTL-750", 5, "en"),
        ("r-2", "PAN-28", 1, "zh"),
    ]
    # The reviews app analysed them (eager tasks) once the import committed.
    assert all(hasattr(review, "analysis") for review in reviews)
    assert batch.report["next_steps"] == ["review_analysis"]


def test_the_job_finishes_with_the_counts_and_a_link_to_the_import(merchant, catalog, run_import):
    batch = run_import(merchant, "sales", "sku,date,units\nBTL-750,2026-03-01,5\n")

    job = batch.job
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["created"] == 1 and job.result["batch_id"] == batch.pk
    assert job.result_url.endswith(f"/imports/{batch.pk}/")


def test_the_job_counts_the_rows_read_as_its_progress(merchant, catalog, run_import, settings):
    settings.IMPORT_BATCH_ROWS = 100
    rows = "".join(f"BTL-750,2026-01-{1 + n % 28:02d},{n}\n" for n in range(250))

    batch = run_import(merchant, "sales", "sku,date,units\n" + rows, mode="valid_rows")

    job = batch.job
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (250, 250)
    assert batch.rows_total == 250 and batch.report["duplicates"] == 222
