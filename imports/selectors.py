"""Reads of imports, always scoped to a merchant: another merchant's import is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ColumnMapping, ImportBatch, ImportRowError


def import_list(*, merchant, kind: str | None = None, status: str | None = None):
    """The merchant's imports, newest first."""
    imports = ImportBatch.objects.filter(merchant=merchant).select_related("created_by", "job")
    if kind:
        imports = imports.filter(kind=kind)
    if status:
        imports = imports.filter(status=status)
    return imports.order_by("-created_at", "-id")


def import_get(*, merchant, batch_id: int) -> ImportBatch:
    """One of the merchant's imports; another merchant's id is a 404."""
    return get_object_or_404(import_list(merchant=merchant), pk=batch_id)


def import_row_errors(*, batch: ImportBatch, limit: int | None = 100) -> QuerySet[ImportRowError]:
    """The import's stored row problems in row order (the first IMPORT_MAX_STORED_ERRORS; the
    rejected-rows CSV has every rejected row). `limit=None` for all of them (paginate)."""
    errors = ImportRowError.objects.filter(batch=batch).order_by("row_number", "id")
    return errors[:limit] if limit is not None else errors


def mappings_for(*, merchant, kind: str | None = None) -> QuerySet[ColumnMapping]:
    """The merchant's saved column mappings (of one kind when given), by kind and name."""
    mappings = ColumnMapping.objects.filter(merchant=merchant)
    if kind:
        mappings = mappings.filter(kind=kind)
    return mappings.order_by("kind", "name", "id")


def mapping_get(*, merchant, mapping_id: int) -> ColumnMapping:
    """One of the merchant's saved mappings; another merchant's id is a 404."""
    return get_object_or_404(mappings_for(merchant=merchant), pk=mapping_id)
