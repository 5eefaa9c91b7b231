"""API serializers for the catalog and stock: input (validation) and output kept apart."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Product, StockLevel, StockSnapshot

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class MerchantProductField(serializers.PrimaryKeyRelatedField):
    """A product id among the request merchant's products.

    Another merchant's id gets the same "does not exist" as an id nobody has, so the answer
    never tells whether the product exists elsewhere.
    """

    default_error_messages = {
        "does_not_exist": _('Product "{pk_value}" does not exist.'),
        "incorrect_type": _("Expected a product id (an integer), got {data_type}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Product.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return Product.objects.for_merchant(self.context["request"].merchant)


# --- Products ----------------------------------------------------------------------------------


class ProductInputSerializer(serializers.ModelSerializer):
    """Fields a client may write; the service validates the model and saves it."""

    class Meta:
        model = Product
        fields = list(Product.EDITABLE_FIELDS)
        extra_kwargs = {
            "currency": {
                "help_text": _("ISO 4217 code; defaults to the merchant's currency on create.")
            }
        }

    def validate_sku(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("This field may not be blank."))
        taken = Product.objects.for_merchant(self.context["request"].merchant).filter(sku=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(_("A product with this SKU already exists."))
        return value

    def validate_currency(self, value: str) -> str:
        value = value.strip().upper()
        if not CURRENCY_CODE.match(value):
            raise serializers.ValidationError(_("Use a three-letter ISO 4217 code, e.g. USD."))
        return value

    def validate_attributes(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(
                _('Expected a JSON object of key facts, e.g. {"material": "steel"}.')
            )
        return value


class ProductOutputSerializer(serializers.ModelSerializer):
    on_hand = serializers.IntegerField(
        source="stock.on_hand",
        read_only=True,
        allow_null=True,
        help_text=_("Units in stock now; null when no stock level was ever recorded."),
    )
    inbound = serializers.IntegerField(
        source="stock.inbound",
        read_only=True,
        allow_null=True,
        help_text=_("Units ordered and on their way; null when no stock level was recorded."),
    )

    class Meta:
        model = Product
        fields = ["id", *Product.EDITABLE_FIELDS, "on_hand", "inbound", "created_at", "updated_at"]
        read_only_fields = fields


# --- Stock -------------------------------------------------------------------------------------


class StockInputSerializer(serializers.Serializer):
    on_hand = serializers.IntegerField(min_value=0, help_text=_("Units in stock now."))
    inbound = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=_("Units ordered and on their way; unchanged (0 for a new level) if omitted."),
    )

    def stock_levels(self, current: StockLevel | None) -> dict[str, int]:
        """The levels to set: the fields sent, the current value for the others."""
        return {
            field: self.validated_data.get(field, getattr(current, field, 0))
            for field in ("on_hand", "inbound")
        }


class StockCreateInputSerializer(StockInputSerializer):
    product = MerchantProductField(help_text=_("Id of the product whose stock is set."))


class StockLevelOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    title = serializers.CharField(source="product.title", read_only=True)

    class Meta:
        model = StockLevel
        fields = ["product", "sku", "title", "on_hand", "inbound", "updated_at"]
        read_only_fields = fields


class StockSnapshotOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockSnapshot
        fields = ["date", "on_hand", "inbound"]
        read_only_fields = fields
