"""All or nothing: one bad row and nothing of the file is written; the report says why."""

import csv
import io

import pytest

from forecasting.models import DailySales
from imports.models import ImportMode, ImportRowError, ImportStatus, OrderLine
from jobs.models import JobStatus
from products.models import Product

pytestmark = pytest.mark.django_db

ORDERS = (
    "order_number,sku,quantity,amount,ordered_at\n"
    "1,BTL-750,2,59.90,2026-03-02 10:00\n"
    "2,PAN-28,-3,43.95,2026-03-02 11:00\n"
    "3,CHG-65W,1,39.95,yesterday-ish\n"
    "4,PAN-28,1,43.95,2026-03-03 11:00\n"
)


def test_one_bad_row_rejects_the_whole_file_and_writes_nothing(merchant, catalog, run_import):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.ALL_OR_NOTHING)

    assert batch.status == ImportStatus.REJECTED
    assert batch.error_code == "rejected"
    assert (batch.rows_total, batch.rows_valid, batch.rows_rejected) == (4, 2, 2)
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 0, 0)
    assert not OrderLine.objects.filter(merchant=merchant).exists()
    assert not DailySales.objects.filter(merchant=merchant).exists()
    assert batch.report["errors_by_column"] == {"quantity": 1, "ordered_at": 1}


def test_the_rejected_import_keeps_each_problem_with_its_row_and_column(
    merchant, catalog, run_import
):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.ALL_OR_NOTHING)

    errors = list(ImportRowError.objects.filter(batch=batch).order_by("row_number"))
    assert [(e.row_number, e.column, e.value) for e in errors] == [
        (3, "quantity", "-3"),
        (4, "ordered_at", "yesterday-ish"),
    ]
    assert all(e.message and e.code for e in errors)


def test_the_rejected_rows_can_be_downloaded_even_when_nothing_was_loaded(
    merchant, catalog, run_import
):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.ALL_OR_NOTHING)

    rows = list(csv.reader(io.StringIO(batch.rejected_file.read().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["3", "4"]


def test_the_job_of_a_rejected_import_fails_with_the_reason(merchant, catalog, run_import):
    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.ALL_OR_NOTHING)

    job = batch.job
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_code == "rejected"
    assert "2 of 4 rows" in job.error


def test_an_unknown_sku_alone_rejects_the_file(merchant, catalog, run_import):
    batch = run_import(
        merchant,
        "sales",
        "sku,date,units\nBTL-750,2026-03-01,5\nNOPE-1,2026-03-01,2\n",
        mode=ImportMode.ALL_OR_NOTHING,
    )

    assert batch.status == ImportStatus.REJECTED
    assert batch.unknown_skus == ["NOPE-1"]
    assert not DailySales.objects.filter(merchant=merchant).exists()
    assert not Product.objects.filter(merchant=merchant, sku="NOPE-1").exists()


def test_a_file_without_data_rows_is_rejected_with_its_own_reason(merchant, catalog, run_import):
    batch = run_import(merchant, "sales", "sku,date,units\n")

    assert batch.status == ImportStatus.REJECTED
    assert batch.error_code == "no_rows"
