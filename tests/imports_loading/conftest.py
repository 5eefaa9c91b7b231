"""Imports run end to end here: a CSV is uploaded, mapped and loaded by the real import job
(eager Celery, on-commit callbacks executed as a commit would)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.models import ImportBatch, ImportMode
from imports.services import import_configure, import_start, import_upload
from tests.factories import ProductFactory

SKUS = ("BTL-750", "PAN-28", "CHG-65W")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalog(merchant):
    """Three products of the merchant, by SKU."""
    return {sku: ProductFactory(merchant=merchant, sku=sku) for sku in SKUS}


def csv_file(text: str, name: str = "data.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture
def run_import(owner, django_capture_on_commit_callbacks):
    """upload -> configure (the suggested mapping unless given) -> start -> the job runs."""

    def run(
        merchant,
        kind: str,
        text: str,
        *,
        mode: str = ImportMode.ALL_OR_NOTHING,
        options: dict | None = None,
        mapping: dict | None = None,
        name: str = "data.csv",
        user=None,
    ) -> ImportBatch:
        batch = import_upload(
            merchant=merchant, user=user or owner, kind=kind, uploaded_file=csv_file(text, name)
        )
        batch = import_configure(
            batch=batch,
            mapping=mapping if mapping is not None else batch.mapping,
            mode=mode,
            options={**batch.options, **(options or {})},
        )
        with django_capture_on_commit_callbacks(execute=True):
            import_start(batch=batch, user=user or owner)
        batch.refresh_from_db()
        return batch

    return run
