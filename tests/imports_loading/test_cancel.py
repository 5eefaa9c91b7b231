"""Cancelling an import that has not finished."""

import pytest

from imports.models import ImportStatus
from imports.services import (
    ImportServiceError,
    import_cancel,
    import_configure,
    import_start,
    import_upload,
)
from jobs.models import JobStatus

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def configured(merchant, owner):
    batch = import_upload(
        merchant=merchant,
        user=owner,
        kind="sales",
        uploaded_file=csv_file("sku,date,units\nBTL-750,2026-03-01,5\n"),
    )
    return import_configure(batch=batch, mapping=batch.mapping, mode="valid_rows", options={})


def test_a_queued_import_is_cancelled_at_once_with_its_job(merchant, owner, catalog):
    batch = configured(merchant, owner)
    job = import_start(batch=batch, user=owner)

    batch = import_cancel(batch=batch, user=owner)

    job.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert job.status == JobStatus.CANCELLED


def test_an_import_waiting_for_its_mapping_can_be_cancelled(merchant, owner):
    batch = configured(merchant, owner)

    assert import_cancel(batch=batch, user=owner).status == ImportStatus.CANCELLED


def test_a_finished_import_cannot_be_cancelled(merchant, owner, catalog, run_import):
    batch = run_import(merchant, "sales", "sku,date,units\nBTL-750,2026-03-01,5\n")

    with pytest.raises(ImportServiceError) as refused:
        import_cancel(batch=batch, user=owner)

    assert refused.value.code == "already_finished"


def test_a_cancelled_import_can_be_started_again(merchant, owner, catalog, run_import):
    batch = configured(merchant, owner)
    import_cancel(batch=batch, user=owner)
    batch.refresh_from_db()

    job = import_start(batch=batch, user=owner)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED and batch.job == job
