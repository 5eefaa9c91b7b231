"""Receiving a file and settling how to read it: upload, re-sniff, column mapping, saved mappings.

An upload is stored as received under MEDIA_ROOT/imports/<merchant>/ (a random name: the
user's file name is kept on the row, never used as a path), hashed, and sniffed (format,
encoding, delimiter, header row, a preview). The mapping offered first is the merchant's saved
one for a file with the same headers (compared normalised: "Lineitem SKU" = "lineitem_sku"),
else the best preset's. Nothing is read beyond the sniffing sample until the import runs.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ColumnMapping, ImportBatch, ImportKind, ImportMode, ImportStatus
from ..parsing import (
    FIELDS,
    FileInfo,
    ImportFileError,
    mapping_problems,
    normalise_header,
    sniff,
    suggest_mapping,
)
from ..parsing.fields import FIELDS_BY_NAME
from ..parsing.values import DATE_ORDERS
from .errors import ImportServiceError

# Extensions kept on the stored name (the content decides the format, not the extension).
_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}
# What a batch can be re-configured in: waiting for its mapping, or ended without loading.
EDITABLE = (
    ImportStatus.UPLOADED,
    ImportStatus.REJECTED,
    ImportStatus.FAILED,
    ImportStatus.CANCELLED,
)
# Options the loader and validator read; anything else is refused.
_OPTIONS = {
    "create_unknown_skus",
    "date_order",
    "refund_scope",
    "source",
    "preset",
    "saved_mapping",
    "as_of",
}


def upload_max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 1 << 30))


def headers_signature(headers: list[str]) -> str:
    """SHA-256 of the normalised, sorted header names: "the same columns" whatever their order,
    case or spacing."""
    names = sorted(normalise_header(header) for header in headers)
    return hashlib.sha256(json.dumps(names, ensure_ascii=False).encode()).hexdigest()


def import_upload(*, merchant, user, kind: str, uploaded_file) -> ImportBatch:
    """Store an uploaded file, sniff it and suggest a mapping; returns the `uploaded` batch.

    Raises `ImportServiceError` (`invalid_kind`, `empty_file`, `file_too_large`) or the
    parser's `ImportFileError` (not a readable CSV/XLSX); then nothing is kept.
    """
    if kind not in ImportKind.values:
        raise ImportServiceError(
            "invalid_kind", _("“%(kind)s” is not a kind of import.") % {"kind": str(kind)[:40]}
        )
    size = int(getattr(uploaded_file, "size", 0) or 0)
    if size <= 0:
        raise ImportServiceError("empty_file", _("The file is empty."))
    limit = upload_max_bytes()
    if size > limit:
        raise ImportServiceError(
            "file_too_large",
            _("The file is %(size)s; files of up to %(limit)s can be imported.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    original = Path(str(uploaded_file.name or "")).name[:255] or "upload"
    suffix = Path(original).suffix.lower()
    batch = ImportBatch(
        merchant=merchant,
        kind=kind,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        original_name=original,
        size_bytes=size,
        sha256=digest.hexdigest(),
    )
    batch.file.save(
        f"{uuid.uuid4().hex}{suffix if suffix in _SUFFIXES else ''}", uploaded_file, save=False
    )
    try:
        info = sniff(batch.file.path, filename=original)
        _apply(batch, info)
        _suggest(batch)
        batch.save()
    except BaseException:
        batch.file.delete(save=False)
        raise
    return batch


def import_resniff(
    *,
    batch: ImportBatch,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ImportBatch:
    """Read the stored file again with the user's encoding, delimiter or sheet; the mapping is
    suggested again when the headers changed. Raises `ImportFileError` (the file cannot be read
    that way) or `ImportServiceError("not_editable")`."""
    _require_editable(batch)
    info = sniff(
        batch.file.path,
        filename=batch.original_name,
        encoding=encoding or None,
        delimiter=delimiter or None,
        sheet=sheet or (batch.sheet or None),
    )
    before = list(batch.headers or [])
    _apply(batch, info)
    if list(info.headers) != before:
        _suggest(batch)
    batch.save()
    return batch


def file_info(batch: ImportBatch) -> FileInfo:
    """How to read the stored file, as it was sniffed (with the user's corrections)."""
    info = sniff(
        batch.file.path,
        filename=batch.original_name,
        encoding=batch.encoding or None,
        delimiter=batch.delimiter or None,
        sheet=batch.sheet or None,
    )
    if list(info.headers) != list(batch.headers or []):
        raise ImportFileError(
            "file_changed",
            _("The stored file no longer has the headers it was mapped with; upload it again."),
        )
    return info


def _apply(batch: ImportBatch, info: FileInfo) -> None:
    batch.file_format = info.format
    batch.encoding = (info.encoding or "")[:20]
    batch.delimiter = (info.delimiter or "")[:4]
    batch.sheet = (info.sheet or "")[:100]
    batch.headers = list(info.headers)
    batch.preview = [list(row) for row in info.preview]
    options = dict(batch.options or {})
    if info.date_order and not options.get("date_order"):
        options["date_order"] = info.date_order
    batch.options = options


def _suggest(batch: ImportBatch) -> None:
    """The merchant's saved mapping for these headers, else the best preset's."""
    options = {key: value for key, value in (batch.options or {}).items() if key in ("date_order",)}
    saved = ColumnMapping.objects.filter(
        merchant_id=batch.merchant_id,
        kind=batch.kind,
        headers_signature=headers_signature(batch.headers),
    ).first()
    if saved is not None:
        batch.preset = saved.preset
        batch.mapping = _rename_columns(saved.mapping, batch.headers)
        options.update(saved.options or {})
        options["saved_mapping"] = saved.name
    else:
        preset, mapping = suggest_mapping(batch.kind, list(batch.headers))
        batch.preset = preset
        batch.mapping = mapping
        options.pop("saved_mapping", None)
    if batch.preset:
        options["preset"] = batch.preset
    else:
        options.pop("preset", None)
    batch.options = options


def _rename_columns(mapping: dict, headers: list[str]) -> dict:
    """A saved mapping's columns as this file spells them (same normalised name)."""
    by_key = {normalise_header(header): header for header in headers}

    def rename(column):
        if isinstance(column, str):
            return by_key.get(normalise_header(column), column)
        if isinstance(column, list):
            return [rename(item) for item in column]
        return column

    return {name: rename(column) for name, column in (mapping or {}).items()}


def _require_editable(batch: ImportBatch) -> None:
    if batch.status not in EDITABLE:
        raise ImportServiceError(
            "not_editable", _("This import can no longer be changed."), status_code=409
        )


def _mapping_error(kind: str, mapping: dict, headers: list[str]) -> ImportServiceError | None:
    problems = mapping_problems(kind, mapping, headers)
    if not problems:
        return None
    fields = FIELDS_BY_NAME[kind]
    header_set = set(headers)
    code = "invalid_mapping"
    if any(name not in fields and name != "attribute_pairs" for name in mapping):
        code = "unknown_field"
    elif any(
        isinstance(column, str) and column and column not in header_set
        for name, column in mapping.items()
        if name in fields and fields[name].type != "attributes"
    ):
        code = "unknown_column"
    elif any(field.required and not mapping.get(field.name) for field in FIELDS[kind]):
        code = "missing_field"
    return ImportServiceError(code, " ".join(str(problem) for problem in problems))


def _clean_options(options) -> dict:
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ImportServiceError("invalid_options", _("Options must be an object."))
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise ImportServiceError(
            "invalid_options",
            _("Unknown option “%(option)s”.") % {"option": str(unknown[0])[:40]},
        )
    cleaned = dict(options)
    if "create_unknown_skus" in cleaned:
        value = cleaned["create_unknown_skus"]
        if not isinstance(value, bool):
            raise ImportServiceError(
                "invalid_options", _("create_unknown_skus must be true or false.")
            )
    order = cleaned.get("date_order")
    if order not in (None, "") and order not in DATE_ORDERS:
        raise ImportServiceError(
            "invalid_options",
            _("date_order must be one of %(orders)s.") % {"orders": ", ".join(DATE_ORDERS)},
        )
    for name in ("source", "preset", "saved_mapping", "refund_scope", "as_of"):
        value = cleaned.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > 120):
            raise ImportServiceError(
                "invalid_options", _("%(option)s must be a short text.") % {"option": name}
            )
    if cleaned.get("as_of"):
        import datetime as dt

        try:
            dt.date.fromisoformat(cleaned["as_of"])
        except ValueError as exc:
            raise ImportServiceError(
                "invalid_options", _("as_of must be a date such as 2026-03-31.")
            ) from exc
    return cleaned


@transaction.atomic
def import_configure(
    *,
    batch: ImportBatch,
    mapping: dict,
    mode: str,
    options: dict | None,
    save_mapping_as: str = "",
) -> ImportBatch:
    """Confirm the column mapping, the mode and the options of an import (not yet started).

    The mapping is {field: header} (products also `attributes`: [headers] and
    `attribute_pairs`: [[name header, value header], ...]); every required field of the kind
    must be mapped, to a header of the file. With `save_mapping_as`, the mapping is saved for
    the next file with the same headers (replacing the one saved for them). Raises
    `ImportServiceError`: `not_editable`, `invalid_mode`, `invalid_options`, `invalid_mapping`,
    `unknown_field`, `unknown_column`, `missing_field`.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _require_editable(batch)
    if mode not in ImportMode.values:
        raise ImportServiceError(
            "invalid_mode", _("“%(mode)s” is not an import mode.") % {"mode": str(mode)[:40]}
        )
    if not isinstance(mapping, dict):
        raise ImportServiceError("invalid_mapping", _("The mapping must be an object."))
    mapping = {name: column for name, column in mapping.items() if column not in ("", None, [])}
    headers = [str(header) for header in batch.headers or []]
    error = _mapping_error(batch.kind, mapping, headers)
    if error is not None:
        raise error
    options = _clean_options(options)
    if batch.preset and "preset" not in options:
        options["preset"] = batch.preset
    name = (save_mapping_as or "").strip()[:120]
    if name:
        ColumnMapping.objects.update_or_create(
            merchant_id=batch.merchant_id,
            kind=batch.kind,
            headers_signature=headers_signature(headers),
            defaults={
                "name": name,
                "headers": headers,
                "preset": batch.preset,
                "mapping": mapping,
                "options": {
                    key: value
                    for key, value in options.items()
                    if key not in ("saved_mapping", "as_of")
                },
            },
        )
        options["saved_mapping"] = name
    batch.mapping = mapping
    batch.mode = mode
    batch.options = options
    batch.save(update_fields=["mapping", "mode", "options", "updated_at"])
    return batch


def mapping_delete(*, mapping: ColumnMapping) -> None:
    """Forget a saved mapping (imports that used it keep their own copy)."""
    mapping.delete()


def _megabytes(size: int) -> str:
    return _("%(size).1f MB") % {"size": size / (1024 * 1024)}
