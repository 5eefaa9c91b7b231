"""Valid rows mode: the good rows load, the bad ones come back as a CSV to fix."""

import csv
import io

import pytest

from imports.models import ImportMode, ImportRowError, ImportStatus, OrderLine

pytestmark = pytest.mark.django_db

ORDERS = (
    "order_number,sku,quantity,amount,ordered_at,note\n"
    "1,BTL-750,2,59.90,2026-03-02 10:00,ok\n"
    '2,PAN-28,-3,43.95,2026-03-02 11:00,=HYPERLINK("x")\n'
    "3,NOPE-9,1,39.95,2026-03-02 12:00,销量\n"
    "4,PAN-28,1,43.95,2026-03-03 11:00,ok\n"
)


def test_the_valid_rows_are_loaded_and_the_others_are_not(merchant, catalog, run_import):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.VALID_ROWS)

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert (batch.rows_total, batch.rows_valid, batch.rows_rejected) == (4, 2, 2)
    assert batch.rows_created == 2
    assert set(
        OrderLine.objects.filter(merchant=merchant).values_list("order_number", flat=True)
    ) == {"1", "4"}
    assert batch.unknown_skus == ["NOPE-9"]
    assert batch.report["errors_by_code"]["unknown_sku"] == 1


def test_the_rejected_rows_csv_has_the_row_the_cells_and_the_problems(
    merchant, catalog, run_import
):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.VALID_ROWS)

    raw = batch.rejected_file.read()
    assert raw.startswith("\ufeff".encode())  # Excel opens Chinese text as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "Row",
        "order_number",
        "sku",
        "quantity",
        "amount",
        "ordered_at",
        "note",
        "Problems",
    ]
    second, third = rows[1], rows[2]
    assert second[:7] == [
        "3",
        "2",
        "PAN-28",
        "-3",
        "43.95",
        "2026-03-02 11:00",
        '\'=HYPERLINK("x")',
    ]
    assert "quantity" in second[7].lower() or "-3" in second[7]
    assert third[:4] == ["4", "3", "NOPE-9", "1"] and third[6] == "销量"
    assert "NOPE-9" in third[7]


def test_only_the_first_problems_are_kept_as_rows_but_the_csv_has_them_all(
    merchant, catalog, run_import, settings
):
    settings.IMPORT_MAX_STORED_ERRORS = 1

    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.VALID_ROWS)

    assert ImportRowError.objects.filter(batch=batch).count() == 1
    assert batch.report["problems"] == 2 and batch.report["errors_stored"] == 1
    rows = list(csv.reader(io.StringIO(batch.rejected_file.read().decode("utf-8-sig"))))
    assert len(rows) == 3


def test_a_file_with_no_valid_row_loads_nothing(merchant, catalog, run_import):
    batch = run_import(
        merchant, "sales", "sku,date,units\nBTL-750,2026-03-01,-1\n", mode=ImportMode.VALID_ROWS
    )

    assert batch.status == ImportStatus.REJECTED
    assert batch.error_code == "no_valid_rows"
