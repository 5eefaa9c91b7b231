"""A crash or a cancel in the middle of a load leaves the domain tables as they were."""

import pytest

from forecasting.models import DailySales
from imports.models import ImportMode, ImportStatus, OrderLine
from imports.services import orders as orders_step
from imports.services import run as run_step
from jobs.models import Job, JobStatus
from products.models import Product

pytestmark = pytest.mark.django_db

ORDERS = (
    "order_number,sku,quantity,amount,ordered_at\n"
    "1,BTL-750,2,59.90,2026-03-02 10:00\n"
    "2,NEW-1,1,9.00,2026-03-02 11:00\n"
)


class Boom(Exception):
    pass


def test_a_failure_between_the_order_lines_and_the_daily_sales_writes_nothing(
    merchant, catalog, run_import, monkeypatch
):
    def explode(**kwargs):
        raise Boom("disk full")

    monkeypatch.setattr(orders_step, "daily_sales_recompute", explode)

    batch = run_import(
        merchant,
        "orders",
        ORDERS,
        mode=ImportMode.VALID_ROWS,
        options={"create_unknown_skus": True},
    )

    assert batch.status == ImportStatus.FAILED
    assert batch.error_code == "internal_error"
    assert not OrderLine.objects.filter(merchant=merchant).exists()
    assert not DailySales.objects.filter(merchant=merchant).exists()
    assert not Product.objects.filter(merchant=merchant, sku="NEW-1").exists()  # created, undone
    assert not batch.rejected_file
    job = batch.job
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_failure_while_recording_the_result_undoes_the_load_too(
    merchant, catalog, run_import, monkeypatch
):
    def explode(batch, reading):
        raise Boom("lost the connection")

    monkeypatch.setattr(run_step, "_store_errors", explode)

    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.VALID_ROWS)

    assert batch.status == ImportStatus.FAILED
    assert not OrderLine.objects.filter(merchant=merchant).exists()


def test_cancelling_during_the_load_rolls_it_back(merchant, catalog, run_import, monkeypatch):
    real_save = run_step._save_rejected_file
    written = []

    def cancel_as_the_load_starts(batch, reading):
        # The user presses Cancel (another request, committed) as the writing starts.
        Job.objects.filter(pk=batch.job_id).update(cancel_requested=True)
        return real_save(batch, reading)

    real_recompute = orders_step.daily_sales_recompute

    def recompute(**kwargs):
        written.append(OrderLine.objects.filter(merchant=merchant).count())
        return real_recompute(**kwargs)

    monkeypatch.setattr(run_step, "_save_rejected_file", cancel_as_the_load_starts)
    monkeypatch.setattr(orders_step, "daily_sales_recompute", recompute)

    batch = run_import(merchant, "orders", ORDERS, mode=ImportMode.VALID_ROWS)

    assert written == []  # stopped after the order lines, before the daily sales
    assert batch.status == ImportStatus.CANCELLED
    assert not OrderLine.objects.filter(merchant=merchant).exists()
    assert not DailySales.objects.filter(merchant=merchant).exists()
    job = batch.job
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
