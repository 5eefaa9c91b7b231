"""Portal pages of imports: the list, the upload, the column mapping, the progress and report of
one import, the rejected rows, the sample files and the saved mappings.

Views validate, call one service and redirect; every import is looked up among the request
merchant's own (another merchant's id is a 404). Every member reads; uploading, mapping,
starting and cancelling an import and deleting a saved mapping need IMPORT_DATA.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import merchant_required
from accounts.permissions import IMPORT_DATA, role_can
from core.htmx import is_partial
from jobs.views_helpers import job_started_message

from .forms import ImportUploadForm, MappingForm, SniffForm
from .models import ImportKind, ImportStatus
from .parsing.errors import ImportFileError
from .parsing.presets import PRESETS
from .samples import SAMPLES, SAMPLES_BY_NAME
from .selectors import import_get, import_list, import_row_errors, mapping_get, mappings_for
from .services import (
    ImportServiceError,
    import_cancel,
    import_configure,
    import_resniff,
    import_start,
    import_upload,
    mapping_delete,
    upload_max_bytes,
)

IMPORTS_PER_PAGE = 25
# Row errors shown on the import page; the rejected-rows CSV has every rejected row.
ERRORS_SHOWN = 100
PREVIEW_ROWS_SHOWN = 10
# htmx: "stop polling" (the response is still swapped in).
STOP_POLLING = 286
ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)
# Imports that can be mapped (again) and started: waiting for a mapping, or ended without
# loading anything.
MAPPABLE = (
    ImportStatus.UPLOADED,
    ImportStatus.REJECTED,
    ImportStatus.FAILED,
    ImportStatus.CANCELLED,
)
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _can_import(request) -> bool:
    return role_can(request.membership.role if request.membership else None, IMPORT_DATA)


def _require_import(request) -> None:
    if not _can_import(request):
        raise PermissionDenied


def delimiter_label(delimiter: str) -> str:
    return {
        ",": _("comma"),
        ";": _("semicolon"),
        "\t": _("tab"),
        "|": _("vertical bar"),
    }.get(delimiter, delimiter)


def preset_label(name: str) -> str:
    preset = PRESETS.get(name or "")
    return str(preset.label) if preset else ""


def _sample_links() -> list[dict]:
    return [
        {
            "sample": sample,
            "url": reverse(f"import-sample-{sample.slug}"),
        }
        for sample in SAMPLES
    ]


# --- The list ----------------------------------------------------------------------------------


@merchant_required()
@require_GET
def import_list_view(request):
    """The merchant's imports, newest first."""
    page = Paginator(import_list(merchant=request.merchant), IMPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "batches": page.object_list, "can_import": _can_import(request)}
    return render(request, "imports/list.html", context)


# --- Upload ------------------------------------------------------------------------------------


def _error_field(code: str) -> str | None:
    return "kind" if code == "invalid_kind" else "file"


@merchant_required()
@require_http_methods(["GET", "POST"])
def import_new(request):
    """Choose the kind of data and upload a CSV or XLSX; the next page maps its columns."""
    max_bytes = upload_max_bytes()
    status = 200
    if request.method == "POST":
        _require_import(request)
        form = ImportUploadForm(request.POST, request.FILES, max_bytes=max_bytes)
        if form.is_valid():
            try:
                batch = import_upload(
                    merchant=request.merchant,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"],
                )
            except (ImportFileError, ImportServiceError) as error:
                form.add_error(_error_field(error.code), error.message)
            else:
                return redirect("import-mapping", batch_id=batch.pk)
        status = 400
    else:
        kind = request.GET.get("kind", "")
        initial = {"kind": kind} if kind in ImportKind.values else {}
        form = ImportUploadForm(initial=initial, max_bytes=max_bytes)
    context = {
        "form": form,
        "max_bytes": max_bytes,
        "samples": _sample_links(),
        "can_import": _can_import(request),
    }
    return render(request, "imports/new.html", context, status=status)


# --- Column mapping ----------------------------------------------------------------------------


def _mapping_context(request, batch, *, form=None, sniff_form=None) -> dict:
    saved = _saved_mapping(batch)
    preview = [list(row) for row in (batch.preview or [])[:PREVIEW_ROWS_SHOWN]]
    return {
        "batch": batch,
        "form": form or MappingForm(batch=batch),
        "sniff_form": sniff_form or SniffForm(batch=batch),
        "preview": preview,
        "headers": list(batch.headers or []),
        "delimiter_name": delimiter_label(batch.delimiter),
        "preset_name": preset_label(batch.preset),
        "saved_mapping": saved,
        "can_import": _can_import(request),
    }


def _saved_mapping(batch):
    """The saved mapping the suggestion came from, if any."""
    name = (batch.options or {}).get("saved_mapping")
    if not name:
        return None
    return next(
        (m for m in mappings_for(merchant=batch.merchant, kind=batch.kind) if m.name == name),
        None,
    )


@merchant_required()
@require_http_methods(["GET", "POST"])
def import_mapping(request, batch_id: int):
    """What was detected, a preview, and one select per target field; submitting starts the
    load. `action=resniff` reads the file again with another encoding or delimiter."""
    batch = import_get(merchant=request.merchant, batch_id=batch_id)
    if batch.status not in MAPPABLE:
        return redirect("import-detail", batch_id=batch.pk)
    if request.method == "GET":
        return render(request, "imports/mapping.html", _mapping_context(request, batch))
    _require_import(request)
    if request.POST.get("action") == "resniff":
        return _resniff(request, batch)
    form = MappingForm(request.POST, batch=batch)
    if form.is_valid():
        try:
            with transaction.atomic():
                batch = import_configure(
                    batch=batch,
                    mapping=form.mapping(),
                    mode=form.cleaned_data["mode"],
                    options=form.options(),
                    save_mapping_as=form.cleaned_data.get("save_mapping_as") or "",
                )
                job = import_start(batch=batch, user=request.user)
        except (ImportServiceError, ImportFileError) as error:
            form.add_error(None, error.message)
        else:
            job_started_message(request, job)
            return redirect("import-detail", batch_id=batch.pk)
    context = _mapping_context(request, batch, form=form)
    return render(request, "imports/mapping.html", context, status=400)


def _resniff(request, batch):
    sniff_form = SniffForm(request.POST, batch=batch)
    if sniff_form.is_valid():
        try:
            batch = import_resniff(
                batch=batch,
                encoding=sniff_form.cleaned_data.get("encoding") or None,
                delimiter=sniff_form.cleaned_data.get("delimiter") or None,
                sheet=sniff_form.cleaned_data.get("sheet") or None,
            )
        except (ImportFileError, ImportServiceError) as error:
            sniff_form.add_error(None, error.message)
        else:
            messages.success(request, _("The file was read again with your settings."))
            return redirect("import-mapping", batch_id=batch.pk)
    context = _mapping_context(request, batch, sniff_form=sniff_form)
    return render(request, "imports/mapping.html", context, status=400)


# --- Progress and report -----------------------------------------------------------------------


def _report_context(request, batch) -> dict:
    report = batch.report or {}
    finished = batch.status not in ACTIVE
    return {
        "batch": batch,
        "job": batch.job,
        "report": report,
        "errors": import_row_errors(batch=batch, limit=ERRORS_SHOWN) if finished else [],
        "errors_shown": ERRORS_SHOWN,
        "errors_by_column": sorted(
            (report.get("errors_by_column") or {}).items(), key=lambda item: -item[1]
        ),
        "unknown_skus": list(batch.unknown_skus or []),
        "unknown_sku_count": report.get("unknown_sku_count", len(batch.unknown_skus or [])),
        "daily_sales": report.get("daily_sales") or {},
        "next_steps": report.get("next_steps") or [],
        "seconds": report.get("seconds") or {},
        "is_active": batch.status in ACTIVE,
        "can_map": batch.status in MAPPABLE,
        "can_import": _can_import(request),
        "preset_name": preset_label(batch.preset),
    }


@merchant_required()
@require_GET
def import_detail(request, batch_id: int):
    """The job's progress while it runs (htmx polls the status card), then the report."""
    batch = import_get(merchant=request.merchant, batch_id=batch_id)
    context = _report_context(request, batch)
    if is_partial(request):
        response = render(request, "imports/_status.html", context)
        if not context["is_active"]:
            response.status_code = STOP_POLLING
    else:
        response = render(request, "imports/detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required()
@require_POST
def import_cancel_view(request, batch_id: int):
    batch = import_get(merchant=request.merchant, batch_id=batch_id)
    _require_import(request)
    try:
        batch = import_cancel(batch=batch, user=request.user)
    except ImportServiceError as error:
        messages.error(request, error.message)
    else:
        if batch.status == ImportStatus.CANCELLED:
            messages.success(request, _("The import was cancelled; nothing was loaded."))
        else:
            messages.info(
                request, _("The import stops at its next safe point; nothing of it is kept.")
            )
    return redirect("import-detail", batch_id=batch.pk)


@merchant_required()
@require_GET
def import_rejected_csv(request, batch_id: int):
    """The rejected rows as the import wrote them: row number, the file's cells, problems."""
    batch = import_get(merchant=request.merchant, batch_id=batch_id)
    return rejected_file_response(batch)


def rejected_file_response(batch) -> FileResponse:
    if not batch.rejected_file:
        raise Http404(_("This import has no rejected rows."))
    try:
        handle = batch.rejected_file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("The rejected rows are no longer stored.")) from error
    stem = (batch.original_name.rsplit(".", 1)[0] or "import")[:80]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}-rejected.csv",
        content_type=CSV_CONTENT_TYPE,
    )


# --- Sample files ------------------------------------------------------------------------------


def sample_download(request, *, filename: str):
    """A sample file, as an attachment. Public to every member (no merchant data in it)."""
    sample = SAMPLES_BY_NAME[filename]
    return FileResponse(
        open(sample.path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=sample.filename,
        content_type="text/csv" + ("; charset=gbk" if sample.encoding == "GBK" else ""),
    )


def sample_view(filename: str):
    @merchant_required()
    @require_GET
    def view(request):
        return sample_download(request, filename=filename)

    view.__name__ = f"sample_{filename.replace('.', '_')}"
    return view


# --- Saved mappings ----------------------------------------------------------------------------


@merchant_required()
@require_GET
def mapping_list_view(request):
    mappings = mappings_for(merchant=request.merchant, kind=None)
    context = {
        "mappings": mappings,
        "can_import": _can_import(request),
        "preset_labels": {name: str(preset.label) for name, preset in PRESETS.items()},
    }
    return render(request, "imports/mappings.html", context)


@merchant_required()
@require_POST
def mapping_delete_view(request, mapping_id: int):
    mapping = mapping_get(merchant=request.merchant, mapping_id=mapping_id)
    _require_import(request)
    mapping_delete(mapping=mapping)
    messages.success(request, _("The mapping “%(name)s” was deleted.") % {"name": mapping.name})
    return redirect("import-mapping-list")
