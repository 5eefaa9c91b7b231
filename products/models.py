from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ProductStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DRAFT = "draft", _("Draft")
    DISCONTINUED = "discontinued", _("Discontinued")


class ProductQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)


class Product(TimeStampedModel):
    # The fields a merchant edits (services, API input and output, imports share this list).
    EDITABLE_FIELDS = (
        "sku",
        "title",
        "category",
        "brand",
        "attributes",
        "description",
        "price",
        "cost",
        "currency",
        "status",
        "lead_time_days",
        "moq",
        "case_pack",
    )

    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="products",
        verbose_name=_("merchant"),
    )
    sku = models.CharField(_("SKU"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=120, blank=True)
    brand = models.CharField(_("brand"), max_length=120, blank=True)
    attributes = models.JSONField(
        _("attributes"),
        default=dict,
        blank=True,
        help_text=_("Key facts: material, size, capacity, colour, certifications, warranty…"),
    )
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cost = models.DecimalField(
        _("unit cost"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(
        _("status"), max_length=12, choices=ProductStatus.choices, default=ProductStatus.ACTIVE
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=14)
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    case_pack = models.PositiveIntegerField(_("case pack"), default=1)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["merchant", "sku"], name="product_merchant_sku_uniq"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_non_negative"),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="product_cost_non_negative"
            ),
            models.CheckConstraint(condition=Q(moq__gte=1), name="product_moq_positive"),
            models.CheckConstraint(
                condition=Q(case_pack__gte=1), name="product_case_pack_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["merchant", "category"], name="product_merchant_category"),
            models.Index(fields=["merchant", "status"], name="product_merchant_status"),
            models.Index(fields=["merchant", "title"], name="product_merchant_title"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} — {self.title}"


class StockLevel(models.Model):
    """The current stock of a product: one row, one read."""

    product = models.OneToOneField(
        Product,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stock",
        verbose_name=_("product"),
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    inbound = models.IntegerField(_("inbound"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_non_negative"),
            models.CheckConstraint(condition=Q(inbound__gte=0), name="stock_inbound_non_negative"),
        ]
        indexes = [models.Index(fields=["merchant", "on_hand"], name="stock_merchant_on_hand")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.on_hand} on hand, {self.inbound} inbound"


class StockSnapshot(models.Model):
    """Stock of a product at the end of a day: the history behind charts and detectors."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="stock_snapshots", verbose_name=_("product")
    )
    date = models.DateField(_("date"))
    on_hand = models.IntegerField(_("on hand"))
    inbound = models.IntegerField(_("inbound"), default=0)

    class Meta:
        ordering = ["product", "date"]
        verbose_name = _("stock snapshot")
        verbose_name_plural = _("stock snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "date"], name="stock_snapshot_product_date_uniq"
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0), name="snapshot_on_hand_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(inbound__gte=0), name="snapshot_inbound_non_negative"
            ),
        ]
        indexes = [models.Index(fields=["merchant", "date"], name="stock_snapshot_merchant_date")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.date}: {self.on_hand}"


# The content studio's models live in products/content/ but belong to this app.
from .content.models import ContentDraft, ContentDraftRevision, ContentVersion  # noqa: E402,F401
