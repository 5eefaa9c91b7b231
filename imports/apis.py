"""Imports API: upload a CSV or XLSX, check what was detected, set the column mapping, start the
load as a job, follow it, read its row errors and download the rejected rows; saved mappings.

Thin views over `imports.services` and `imports.selectors`, scoped to one merchant (another
merchant's id is a 404). Reads: any member; writes: a role that may import data.

The services' refusals become four stable codes here: `invalid_file` (400: not a readable
CSV/XLSX, empty, binary, a zip bomb, too many columns...), `file_too_large` (400),
`invalid_mapping` (400: a required field unmapped, a column the file does not have...) and
`wrong_state` (409: the import is running, loaded or finished and cannot do this now). The
message says which case it is, in the user's language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.permissions import IMPORT_DATA
from core.api.errors import ApiError
from core.api.views import ApiView, MerchantScopedMixin

from .models import ColumnMapping, ImportBatch, ImportKind, ImportStatus
from .parsing.errors import ImportFileError
from .selectors import import_list, import_row_errors, mappings_for
from .serializers import (
    ColumnMappingSerializer,
    ImportBatchSerializer,
    ImportBatchSummarySerializer,
    ImportConfigureInputSerializer,
    ImportRowErrorSerializer,
    ImportUploadInputSerializer,
)
from .services import (
    ImportServiceError,
    import_cancel,
    import_configure,
    import_start,
    import_upload,
    mapping_delete,
)
from .views import rejected_file_response

IMPORTS = ["imports"]
# The shared error shape (core/api/schema.py registers the component).
ERROR_REF = {"$ref": "#/components/schemas/Error"}
MAPPINGS = ["import mappings"]

INVALID_FILE = "invalid_file"
FILE_TOO_LARGE = "file_too_large"
INVALID_MAPPING = "invalid_mapping"
WRONG_STATE = "wrong_state"
# The services' own codes, by the API code that stands for them.
MAPPING_CODES = {"invalid_mapping", "unknown_field", "unknown_column", "missing_field"}
STATE_CODES = {
    "not_configured",
    "already_running",
    "already_loaded",
    "already_finished",
    "not_editable",
}
FIELD_CODES = {"invalid_kind": "kind", "invalid_mode": "mode", "invalid_options": "options"}

UPLOAD_REFUSED = OpenApiResponse(
    response=ERROR_REF,
    description=_(
        "`invalid_file`: not a CSV or XLSX that can be read (empty, binary, legacy .xls, a zip "
        "bomb, too many columns, a cell or line too large, an unclosed quote, an unknown "
        "encoding...); `file_too_large`: over the upload limit; `invalid`: a bad `kind` or no "
        "`file`. The message says what is wrong."
    ),
)
MAPPING_REFUSED = OpenApiResponse(
    response=ERROR_REF,
    description=_(
        "`invalid_mapping`: a required field is not mapped, a field is not one of the kind's, "
        "or a column is not in the file; `invalid`: a bad `mode` or option."
    ),
)
WRONG_STATE_RESPONSE = OpenApiResponse(
    response=ERROR_REF,
    description=_(
        "`wrong_state`: the import cannot do this now (queued or running, already loaded, "
        "already finished, or not mapped yet)."
    ),
)
MULTIPART_415 = OpenApiResponse(
    response=ERROR_REF,
    description=_("The body is not multipart/form-data (`unsupported_media_type`)."),
)


def api_error(error: ImportFileError | ImportServiceError) -> Exception:
    """The API's error for a refusal of the parser or the services."""
    if isinstance(error, ImportFileError):
        return ApiError(INVALID_FILE, error.message, status.HTTP_400_BAD_REQUEST)
    code = error.code
    if code == FILE_TOO_LARGE:
        return ApiError(FILE_TOO_LARGE, error.message, status.HTTP_400_BAD_REQUEST)
    if code == "empty_file":
        return ApiError(INVALID_FILE, error.message, status.HTTP_400_BAD_REQUEST)
    if code in MAPPING_CODES:
        return ApiError(INVALID_MAPPING, error.message, status.HTTP_400_BAD_REQUEST)
    if code in STATE_CODES:
        return ApiError(WRONG_STATE, error.message, status.HTTP_409_CONFLICT)
    if code in FIELD_CODES:
        return exceptions.ValidationError({FIELD_CODES[code]: [error.message]})
    return error


class KindFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ImportKind.choices)


class ImportFilter(KindFilter):
    status = filters.ChoiceFilter(choices=ImportStatus.choices)

    class Meta:
        model = ImportBatch
        fields = ["kind", "status"]


class MappingFilter(KindFilter):
    class Meta:
        model = ColumnMapping
        fields = ["kind"]


class _ImportApi(MerchantScopedMixin, ApiView):
    queryset = ImportBatch.objects.none()
    serializer_class = ImportBatchSerializer
    filter_backends: list = []
    lookup_url_kwarg = "batch_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return import_list(merchant=self.merchant)

    def batch_response(self, batch, http_status=status.HTTP_200_OK) -> Response:
        batch = self.get_queryset().get(pk=batch.pk)
        return Response(self.get_serializer(batch).data, status=http_status)


class ImportListApi(_ImportApi):
    """The merchant's imports, newest first; POST uploads a file.

    Filters: `kind`, `status`. Page-number pagination: `page`, `page_size`.
    """

    parser_classes = [MultiPartParser, FormParser]
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ImportFilter

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "GET":
            return ImportBatchSummarySerializer
        return ImportBatchSerializer

    @extend_schema(
        summary="List imports", tags=IMPORTS, responses=ImportBatchSummarySerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Upload a file to import",
        description=(
            "multipart/form-data with `kind` (products, orders, sales, stock, reviews) and "
            "`file` (CSV or XLSX). Nothing is loaded yet: the answer (201) is the import with "
            "what was detected (format, encoding, delimiter, sheet), the headers, a preview of "
            "the first rows, the recognised preset and a suggested `mapping` (a saved mapping "
            "for the same headers, else the preset's). Check it, then POST `configure/` and "
            "`start/`. Needs a role that may import data."
        ),
        tags=IMPORTS,
        request={"multipart/form-data": ImportUploadInputSerializer},
        responses={201: ImportBatchSerializer, 400: UPLOAD_REFUSED, 415: MULTIPART_415},
    )
    def post(self, request):
        data = self.input_serializer(ImportUploadInputSerializer).validated_data
        try:
            batch = import_upload(
                merchant=self.merchant,
                user=request.user,
                kind=data["kind"],
                uploaded_file=data["file"],
            )
        except (ImportFileError, ImportServiceError) as error:
            raise api_error(error) from error
        return self.batch_response(batch, status.HTTP_201_CREATED)


class ImportDetailApi(_ImportApi):
    """One import: status, detection, mapping, counts and report."""

    @extend_schema(summary="Get an import", tags=IMPORTS)
    def get(self, request, batch_id: int):
        return Response(self.get_serializer(self.get_object()).data)


class ImportConfigureApi(_ImportApi):
    @extend_schema(
        summary="Set an import's column mapping and options",
        description=(
            "`mapping` {field: header} (the kind's fields are in the import's "
            "`target_fields`), `mode` (all_or_nothing or valid_rows), `options` "
            "(`create_unknown_skus`, `date_order`) and optionally `save_mapping_as` to offer "
            "the mapping again for files with the same headers. Only before the import runs, or "
            "after it was rejected, failed or was cancelled. Needs a role that may import data."
        ),
        tags=IMPORTS,
        request=ImportConfigureInputSerializer,
        responses={200: ImportBatchSerializer, 400: MAPPING_REFUSED, 409: WRONG_STATE_RESPONSE},
    )
    def post(self, request, batch_id: int):
        batch = self.get_object()
        data = self.input_serializer(ImportConfigureInputSerializer).validated_data
        try:
            batch = import_configure(
                batch=batch,
                mapping=data["mapping"],
                mode=data["mode"],
                options=data.get("options") or {},
                save_mapping_as=data.get("save_mapping_as") or "",
            )
        except (ImportFileError, ImportServiceError) as error:
            raise api_error(error) from error
        return self.batch_response(batch)


class ImportStartApi(_ImportApi):
    @extend_schema(
        summary="Start loading an import",
        description=(
            "Queues the load as a background job (202 with the import; its `job_detail` is "
            "the job, to follow here or on `jobs/{job_id}/`). A rejected, failed or cancelled "
            "import may be started again. 409 `wrong_state` when it is not mapped yet, is "
            "queued or running, or was loaded. Needs a role that may import data."
        ),
        tags=IMPORTS,
        request=None,
        responses={202: ImportBatchSerializer, 409: WRONG_STATE_RESPONSE},
    )
    def post(self, request, batch_id: int):
        batch = self.get_object()
        try:
            import_start(batch=batch, user=request.user)
        except (ImportFileError, ImportServiceError) as error:
            raise api_error(error) from error
        return self.batch_response(batch, status.HTTP_202_ACCEPTED)


class ImportCancelApi(_ImportApi):
    @extend_schema(
        summary="Cancel an import",
        description=(
            "An import waiting for its mapping or queued ends at once; a running one stops at "
            "its next safe point and its transaction rolls back (nothing of it is written). "
            "409 `wrong_state` when it has finished. Needs a role that may import data."
        ),
        tags=IMPORTS,
        request=None,
        responses={200: ImportBatchSerializer, 409: WRONG_STATE_RESPONSE},
    )
    def post(self, request, batch_id: int):
        batch = self.get_object()
        try:
            batch = import_cancel(batch=batch, user=request.user)
        except (ImportFileError, ImportServiceError) as error:
            raise api_error(error) from error
        return self.batch_response(batch)


class ImportErrorListApi(_ImportApi):
    """The stored row problems of an import (the first ones; the rejected-rows CSV has all the
    rejected rows), by row number. Page-number pagination: `page`, `page_size`."""

    serializer_class = ImportRowErrorSerializer

    @extend_schema(
        summary="List an import's row errors",
        tags=IMPORTS,
        responses=ImportRowErrorSerializer(many=True),
    )
    def get(self, request, batch_id: int):
        batch = self.get_object()
        page = self.paginate_queryset(import_row_errors(batch=batch, limit=None))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ImportRejectedApi(_ImportApi):
    @extend_schema(
        summary="Download an import's rejected rows",
        description=(
            "CSV (UTF-8 with BOM): the row number, the file's own cells and the problems of "
            "each rejected row. 404 when no row was rejected."
        ),
        tags=IMPORTS,
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    def get(self, request, batch_id: int):
        return rejected_file_response(self.get_object())


class ColumnMappingListApi(MerchantScopedMixin, ApiView):
    """The merchant's saved column mappings. Filter: `kind`."""

    queryset = ColumnMapping.objects.none()
    serializer_class = ColumnMappingSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = MappingFilter
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return mappings_for(merchant=self.merchant, kind=None)

    @extend_schema(
        summary="List saved column mappings",
        tags=MAPPINGS,
        responses=ColumnMappingSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ColumnMappingDetailApi(MerchantScopedMixin, ApiView):
    """One saved mapping; another merchant's id is a 404."""

    queryset = ColumnMapping.objects.none()
    serializer_class = ColumnMappingSerializer
    filter_backends: list = []
    lookup_url_kwarg = "mapping_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return mappings_for(merchant=self.merchant, kind=None)

    @extend_schema(summary="Get a saved column mapping", tags=MAPPINGS)
    def get(self, request, mapping_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Delete a saved column mapping",
        description="Files with its headers are suggested a preset's mapping again.",
        tags=MAPPINGS,
        responses={204: None},
    )
    def delete(self, request, mapping_id: int):
        mapping_delete(mapping=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
