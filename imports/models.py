"""Imports: one `ImportBatch` per uploaded file, its rejected rows, and the column mappings a
merchant saved for next time.

Written by `imports.services` only. The parsed rows land in the domain tables (products,
stock, daily sales, order lines, reviews) through set-based upserts keyed on the merchant and
the rows' natural keys, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ImportKind(models.TextChoices):
    PRODUCTS = "products", _("Products")
    ORDERS = "orders", _("Orders")
    SALES = "sales", _("Daily sales")
    STOCK = "stock", _("Stock levels")
    REVIEWS = "reviews", _("Reviews")


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    VALID_ROWS = "valid_rows", _("Load the valid rows, give me the rejected ones")


class ImportStatus(models.TextChoices):
    # Uploaded and sniffed; waiting for the user to confirm the column mapping.
    UPLOADED = "uploaded", _("Waiting for column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Loaded")
    # All-or-nothing and at least one invalid row: nothing was written.
    REJECTED = "rejected", _("Rejected, nothing loaded")
    FAILED = "failed", _("Failed, nothing loaded")
    CANCELLED = "cancelled", _("Cancelled")


def import_upload_to(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.merchant_id}/{filename}"


class ImportBatch(TimeStampedModel):
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )
    # The upload as received, stored under MEDIA_ROOT/imports/<merchant>/.
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.BigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # What sniffing found (the user may correct it before loading).
    file_format = models.CharField(
        _("format"), max_length=4, choices=ImportFormat.choices, default=ImportFormat.CSV
    )
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    # A few parsed rows for the mapping page's preview.
    preview = models.JSONField(_("preview"), default=list, blank=True)
    preset = models.CharField(_("preset"), max_length=32, blank=True)
    # {"<target field>": "<source header>"}; confirmed by the user (or a saved mapping).
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    mode = models.CharField(
        _("mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    # Kind-specific switches, e.g. {"create_unknown_skus": true, "date_order": "DMY"}.
    options = models.JSONField(_("options"), default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("rows read"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # SKUs named by order or sales rows that the catalogue does not have.
    unknown_skus = models.JSONField(_("unknown SKUs"), default=list, blank=True)
    # The rejected rows as a CSV (original columns + row number + errors), for download.
    rejected_file = models.FileField(
        _("rejected rows"), upload_to=import_upload_to, max_length=500, blank=True
    )
    # Whole-file problems: {"code": "...", "message": "..."}; per-row ones are ImportRowError.
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    # Per-column error counts and timings: {"errors_by_column": {...}, "seconds": {...}}.
    report = models.JSONField(_("report"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["merchant", "-created_at"], name="import_merchant_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class ImportRowError(models.Model):
    """One problem with one row, as shown on the import page (the first N per import; the
    rejected-rows CSV has them all)."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="row_errors", verbose_name=_("import")
    )
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=255, blank=True)
    value = models.CharField(_("value"), max_length=255, blank=True)
    code = models.CharField(_("code"), max_length=40)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        ordering = ["batch", "row_number", "id"]
        verbose_name = _("import row error")
        verbose_name_plural = _("import row errors")
        indexes = [models.Index(fields=["batch", "row_number"], name="import_error_row")]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.message}"


class ColumnMapping(TimeStampedModel):
    """A mapping a merchant confirmed, offered again for a file with the same headers."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    name = models.CharField(_("name"), max_length=120)
    # SHA-256 of the normalised, sorted header names.
    headers_signature = models.CharField(_("headers signature"), max_length=64)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    preset = models.CharField(_("preset"), max_length=32, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    options = models.JSONField(_("options"), default=dict, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "kind", "headers_signature"],
                name="column_mapping_merchant_kind_headers",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrderLine(models.Model):
    """One line of one order as imported: the source of the daily sales derived from orders.

    Keyed on (merchant, order number, line key) so a re-import updates instead of doubling.
    Net units = quantity - refunded quantity (0 when cancelled); daily sales for every
    (product, date) an orders import touches are recomputed from all of the merchant's lines.
    """

    # Indexes: the natural key (its first column serves the merchant) and (product, date) (the
    # daily sales recompute and a product's deletion). No more: an import writes a million lines
    # and every index costs it.
    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("merchant"),
        db_index=False,
    )
    order_number = models.CharField(_("order number"), max_length=100)
    # The platform's line id when the export has one, else the SKU.
    line_key = models.CharField(_("line"), max_length=100)
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="order_lines",
        verbose_name=_("product"),
        db_index=False,
    )
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    # The merchant's local date of the order: the day its units count for.
    date = models.DateField(_("date"))
    quantity = models.IntegerField(_("quantity"))
    refunded_quantity = models.IntegerField(_("refunded quantity"), default=0)
    amount = models.DecimalField(_("amount paid"), max_digits=14, decimal_places=2, default=0)
    refunded_amount = models.DecimalField(
        _("amount refunded"), max_digits=14, decimal_places=2, default=0
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
        db_index=False,
    )

    class Meta:
        ordering = ["merchant", "date", "order_number"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "order_number", "line_key"], name="order_line_natural_key"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="order_line_quantity"),
            models.CheckConstraint(
                condition=Q(refunded_quantity__gte=0)
                & Q(refunded_quantity__lte=models.F("quantity")),
                name="order_line_refunded_quantity",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "date"], name="order_line_product_date"),
        ]

    def __str__(self) -> str:
        return f"{self.order_number}/{self.line_key}"
