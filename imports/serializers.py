"""API serializers of imports: the upload, the mapping and options, and what an import reports.
Input (validation) and output kept apart; the services check what a serializer cannot (the
mapping against the file's headers, the state of the import)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobs.serializers import JobOutputSerializer

from .models import ColumnMapping, ImportBatch, ImportKind, ImportMode, ImportRowError
from .parsing.fields import FIELDS
from .parsing.presets import PRESETS
from .parsing.values import DATE_ORDERS

# --- Input -------------------------------------------------------------------------------------


class ImportUploadInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices, help_text=_("What the file holds."))
    file = serializers.FileField(
        help_text=_("The CSV or XLSX file; encoding, delimiter and header row are detected."),
        allow_empty_file=True,  # the service refuses it with its own code (invalid_file)
    )


class ImportOptionsInputSerializer(serializers.Serializer):
    create_unknown_skus = serializers.BooleanField(
        required=False,
        help_text=_(
            "Create a product for each SKU the catalogue does not have (orders, sales, stock, "
            "reviews); otherwise their rows are rejected and the SKUs reported."
        ),
    )
    date_order = serializers.ChoiceField(
        choices=[("", _("detect")), *((order, order) for order in DATE_ORDERS)],
        required=False,
        allow_blank=True,
        help_text=_(
            "How to read dates such as 05/03/2026 when the file does not settle it: DMY (day "
            "first) or MDY (month first). Empty: worked out from the file; an ambiguous date "
            "is then a row error, never a guess."
        ),
    )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        # Keys the serializer does not know stay for the service to judge (kind-specific).
        if isinstance(data, dict):
            for key, item in data.items():
                value.setdefault(key, item)
        if value.get("date_order") == "":
            value.pop("date_order")
        return value


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "string"},
                {"type": "integer", "minimum": 0},
                {"type": "array", "items": {"type": "string"}},
                {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
            ]
        },
        "example": {
            "order_number": "订单编号",
            "sku": "商品编码",
            "quantity": "购买数量",
            "ordered_at": "订单创建时间",
        },
    }
)
class MappingField(serializers.DictField):
    """{target field: header (or 0-based column index)}; for products `attributes` is a list
    of headers and `attribute_pairs` a list of [name header, value header]."""


class ImportConfigureInputSerializer(serializers.Serializer):
    mapping = MappingField(
        help_text=_(
            "Which column feeds which field: {field: header}, or a 0-based column index instead "
            "of a header. The fields of each kind are "
            "listed in the import's `target_fields`; required ones must be mapped."
        )
    )
    mode = serializers.ChoiceField(
        choices=ImportMode.choices,
        default=ImportMode.ALL_OR_NOTHING,
        help_text=_(
            "all_or_nothing: any invalid row and nothing is loaded. valid_rows: the valid rows "
            "are loaded and the rejected ones come back as a CSV."
        ),
    )
    options = ImportOptionsInputSerializer(required=False, default=dict)
    save_mapping_as = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        default="",
        help_text=_("Save the mapping under this name, offered again for the same headers."),
    )


# --- Output ------------------------------------------------------------------------------------


class TargetFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    help = serializers.CharField()


class _BatchUrls(serializers.Serializer):
    def get_page_url(self, batch: ImportBatch) -> str:
        return reverse("import-detail", kwargs={"batch_id": batch.pk})

    def get_created_by(self, batch: ImportBatch) -> str | None:
        return batch.created_by.get_username() if batch.created_by else None

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_duration_seconds(self, batch: ImportBatch) -> float | None:
        if not batch.started_at or not batch.finished_at:
            return None
        return round((batch.finished_at - batch.started_at).total_seconds(), 3)


class ImportBatchSummarySerializer(_BatchUrls, serializers.ModelSerializer):
    """One import as the list shows it."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    file_name = serializers.CharField(source="original_name", read_only=True)
    created_by = serializers.SerializerMethodField(
        help_text=_("Username of who uploaded the file.")
    )
    duration_seconds = serializers.SerializerMethodField(
        help_text=_("From the start of the load to its end; null until it has finished.")
    )
    page_url = serializers.SerializerMethodField(help_text=_("The import's page in the portal."))

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "file_name",
            "size_bytes",
            "mode",
            "rows_total",
            "rows_valid",
            "rows_rejected",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "job",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "duration_seconds",
            "page_url",
        ]
        extra_kwargs = {"job": {"help_text": _("Id of the import's job (null before it starts).")}}
        read_only_fields = fields


class ImportBatchSerializer(ImportBatchSummarySerializer):
    """One import in full: what was detected, the mapping, the options and the report."""

    detected = serializers.SerializerMethodField()
    preset_label = serializers.SerializerMethodField()
    target_fields = serializers.SerializerMethodField(
        help_text=_("The target fields of this kind, in the order the mapping page lists them.")
    )
    job_detail = serializers.SerializerMethodField(
        help_text=_("The import's job (progress, status), null before it starts.")
    )
    rejected_url = serializers.SerializerMethodField(
        help_text=_("The rejected rows as CSV (API address); null when no row was rejected.")
    )
    errors_url = serializers.SerializerMethodField(help_text=_("The row errors (API address)."))
    mapping_url = serializers.SerializerMethodField(help_text=_("The mapping page in the portal."))

    class Meta(ImportBatchSummarySerializer.Meta):
        fields = [
            *ImportBatchSummarySerializer.Meta.fields,
            "detected",
            "headers",
            "preview",
            "preset",
            "preset_label",
            "mapping",
            "options",
            "target_fields",
            "unknown_skus",
            "error_code",
            "error_message",
            "report",
            "job_detail",
            "rejected_url",
            "errors_url",
            "mapping_url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            **ImportBatchSummarySerializer.Meta.extra_kwargs,
            "headers": {"help_text": _("The file's column headers, in file order.")},
            "preview": {"help_text": _("The first rows of data, one list of cells per row.")},
            "preset": {
                "help_text": _("The known export the headers matched: generic, shopify, taobao.")
            },
            "mapping": {
                "help_text": _(
                    "{field: header}: suggested at upload (a saved mapping or the preset), "
                    "as configured afterwards."
                )
            },
            "report": {
                "help_text": _(
                    "Counts and timings of the last run: problems, errors_by_column, "
                    "errors_by_code, duplicates, products_created, daily_sales (orders), "
                    "next_steps, seconds, rows_per_second."
                )
            },
        }

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "format": {"type": "string", "enum": ["csv", "xlsx"]},
                "encoding": {"type": "string"},
                "delimiter": {"type": "string"},
                "sheet": {"type": "string"},
            },
        }
    )
    def get_detected(self, batch: ImportBatch) -> dict:
        return {
            "format": batch.file_format,
            "encoding": batch.encoding,
            "delimiter": batch.delimiter,
            "sheet": batch.sheet,
        }

    def get_preset_label(self, batch: ImportBatch) -> str:
        preset = PRESETS.get(batch.preset or "")
        return str(preset.label) if preset else ""

    @extend_schema_field(TargetFieldSerializer(many=True))
    def get_target_fields(self, batch: ImportBatch) -> list[dict]:
        return [field.as_dict() for field in FIELDS.get(batch.kind, ())]

    @extend_schema_field(JobOutputSerializer(allow_null=True))
    def get_job_detail(self, batch: ImportBatch) -> dict | None:
        if batch.job is None:
            return None
        return JobOutputSerializer(batch.job, context=self.context).data

    def get_rejected_url(self, batch: ImportBatch) -> str | None:
        if not batch.rejected_file:
            return None
        return reverse("api:import-rejected", kwargs={"batch_id": batch.pk})

    def get_errors_url(self, batch: ImportBatch) -> str:
        return reverse("api:import-errors", kwargs={"batch_id": batch.pk})

    def get_mapping_url(self, batch: ImportBatch) -> str:
        return reverse("import-mapping", kwargs={"batch_id": batch.pk})


class ImportRowErrorSerializer(serializers.ModelSerializer):
    row = serializers.IntegerField(
        source="row_number",
        read_only=True,
        help_text=_("The row number as the spreadsheet shows it (the header is row 1)."),
    )

    class Meta:
        model = ImportRowError
        fields = ["row", "column", "value", "code", "message"]
        read_only_fields = fields


class ColumnMappingSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ColumnMapping
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "headers",
            "preset",
            "mapping",
            "options",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
