"""Orders become daily sales: refunds and cancellations count nothing, re-imports never double."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.models import DailySales
from imports.models import ImportStatus, OrderLine

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
HEADER = (
    "order_number,line id,sku,quantity,amount,refunded quantity,refunded_amount,status,ordered_at\n"
)


def daily(product, day=DAY):
    row = DailySales.objects.filter(product=product, date=day).first()
    return (row.units, row.revenue) if row else None


def test_refunds_and_cancellations_are_taken_out_of_the_day(merchant, catalog, run_import):
    batch = run_import(
        merchant,
        "orders",
        HEADER
        + "1,a,BTL-750,3,90.00,1,30.00,paid,2026-03-02 09:00\n"  # 2 units, 60.00 kept
        + "2,a,BTL-750,2,60.00,0,0,cancelled,2026-03-02 10:00\n"  # counts nothing
        + "3,a,BTL-750,1,30.00,0,0,paid,2026-03-02 23:30\n",  # 1 unit, 30.00
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert daily(catalog["BTL-750"]) == (3, Decimal("90.00"))
    cancelled = OrderLine.objects.get(merchant=merchant, order_number="2")
    assert cancelled.cancelled is True


def test_a_later_refund_in_a_new_export_lowers_the_day_instead_of_adding_to_it(
    merchant, catalog, run_import
):
    paid = HEADER + "1,a,BTL-750,3,90.00,0,0,paid,2026-03-02 09:00\n"
    run_import(merchant, "orders", paid)
    assert daily(catalog["BTL-750"]) == (3, Decimal("90.00"))

    refunded = HEADER + "1,a,BTL-750,3,90.00,3,90.00,refunded,2026-03-02 09:00\n"
    batch = run_import(merchant, "orders", refunded)

    assert (batch.rows_created, batch.rows_updated) == (0, 1)
    assert daily(catalog["BTL-750"]) == (0, Decimal("0.00"))
    assert OrderLine.objects.filter(merchant=merchant).count() == 1


def test_importing_the_same_orders_twice_does_not_double_the_day(merchant, catalog, run_import):
    text = HEADER + "1,a,PAN-28,2,87.90,0,0,paid,2026-03-02 09:00\n"
    run_import(merchant, "orders", text)
    run_import(merchant, "orders", text)

    assert daily(catalog["PAN-28"]) == (2, Decimal("87.90"))


def test_orders_from_two_files_add_up_on_the_same_day(merchant, catalog, run_import):
    run_import(merchant, "orders", HEADER + "1,a,PAN-28,2,87.90,0,0,paid,2026-03-02 09:00\n")
    run_import(merchant, "orders", HEADER + "2,a,PAN-28,1,43.95,0,0,paid,2026-03-02 15:00\n")

    assert daily(catalog["PAN-28"]) == (3, Decimal("131.85"))


def test_a_line_moved_to_another_day_leaves_the_old_day_empty(merchant, catalog, run_import):
    run_import(merchant, "orders", HEADER + "1,a,PAN-28,2,87.90,0,0,paid,2026-03-02 09:00\n")

    run_import(merchant, "orders", HEADER + "1,a,PAN-28,2,87.90,0,0,paid,2026-03-04 09:00\n")

    assert daily(catalog["PAN-28"]) == (0, Decimal("0.00"))
    assert daily(catalog["PAN-28"], dt.date(2026, 3, 4)) == (2, Decimal("87.90"))


def test_the_day_is_the_merchants_local_date_of_the_order(merchant, catalog, run_import):
    merchant.timezone = "Asia/Shanghai"
    merchant.save()

    run_import(
        merchant,
        "orders",
        HEADER + "1,a,PAN-28,1,43.95,0,0,paid,2026-03-02T20:30:00Z\n",  # 04:30 on the 3rd there
    )

    assert daily(catalog["PAN-28"], dt.date(2026, 3, 3)) == (1, Decimal("43.95"))


def test_lines_without_a_line_id_are_keyed_by_their_sku(merchant, catalog, run_import):
    text = (
        "order_number,sku,quantity,amount,ordered_at\n"
        "7,PAN-28,1,43.95,2026-03-02 09:00\n"
        "7,BTL-750,1,29.95,2026-03-02 09:00\n"
    )
    run_import(merchant, "orders", text)
    again = run_import(merchant, "orders", text)

    assert set(OrderLine.objects.values_list("order_number", "line_key")) == {
        ("7", "PAN-28"),
        ("7", "BTL-750"),
    }
    assert again.rows_unchanged == 2


def test_a_line_repeated_later_in_the_file_is_loaded_once_the_last_one_winning(
    merchant, catalog, run_import
):
    batch = run_import(
        merchant,
        "orders",
        HEADER
        + "1,a,PAN-28,1,43.95,0,0,paid,2026-03-02 09:00\n"
        + "2,a,BTL-750,1,29.95,0,0,paid,2026-03-02 10:00\n"
        + "1,a,PAN-28,2,87.90,0,0,paid,2026-03-02 09:00\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.report["duplicates"] == 1
    assert (batch.rows_created, batch.rows_unchanged) == (2, 0)
    assert daily(catalog["PAN-28"]) == (2, Decimal("87.90"))
