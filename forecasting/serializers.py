"""API serializers for daily sales: input (validation) and output kept apart."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from products.models import Product

from .models import DailySales
from .services import SalesRow

# One request writes at most this many rows; bigger loads go in several requests.
MAX_SALES_ROWS_PER_REQUEST = 5000
OWNED_PRODUCTS = "owned_product_ids"


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SalesListInputSerializer(serializers.ListSerializer):
    """A JSON array of sales rows, validated with one product query for the whole array."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            ids = {_as_id(item.get("product")) for item in data if isinstance(item, dict)}
            ids.discard(None)
            # Read once for all rows; each row then checks its product against the set.
            self.context[OWNED_PRODUCTS] = set(
                Product.objects.for_merchant(self.context["request"].merchant)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
        return super().to_internal_value(data)

    def validate(self, attrs):
        first_seen: dict[tuple, int] = {}
        errors: dict[int, dict] = {}
        for index, row in enumerate(attrs):
            key = (row["product"], row["date"])
            if key in first_seen:
                message = _("Item %(index)d already has this product and date.")
                errors[index] = {"date": [message % {"index": first_seen[key]}]}
            else:
                first_seen[key] = index
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SalesInputSerializer(serializers.Serializer):
    """One day of one product; the row replaces any row of the same product and date."""

    product = serializers.IntegerField(help_text=_("Id of one of the merchant's products."))
    date = serializers.DateField(help_text=_("The merchant's local date, YYYY-MM-DD."))
    units = serializers.IntegerField(min_value=0)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    on_promotion = serializers.BooleanField(default=False)

    class Meta:
        list_serializer_class = SalesListInputSerializer

    @classmethod
    def many_init(cls, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SALES_ROWS_PER_REQUEST)
        kwargs.setdefault("allow_empty", False)
        return super().many_init(*args, **kwargs)

    def validate_product(self, value: int) -> int:
        owned = self.context.get(OWNED_PRODUCTS)
        if owned is None:
            merchant = self.context["request"].merchant
            exists = Product.objects.for_merchant(merchant).filter(pk=value).exists()
        else:
            exists = value in owned
        if not exists:
            raise serializers.ValidationError(_('Product "%(id)s" does not exist.') % {"id": value})
        return value

    @staticmethod
    def sales_rows(validated: dict | list[dict]) -> list[SalesRow]:
        items = validated if isinstance(validated, list) else [validated]
        return [
            SalesRow(
                product_id=item["product"],
                date=item["date"],
                units=item["units"],
                revenue=item["revenue"],
                on_promotion=item["on_promotion"],
            )
            for item in items
        ]


class SalesUpdateInputSerializer(serializers.Serializer):
    """The figures of an existing row; its product and date identify it and do not change."""

    units = serializers.IntegerField(min_value=0)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    on_promotion = serializers.BooleanField(required=False, help_text=_("Unchanged when left out."))

    def sales_row(self, sales: DailySales) -> SalesRow:
        """The row to write: the fields sent, the current values for the others."""
        data = self.validated_data
        return SalesRow(
            product_id=sales.product_id,
            date=sales.date,
            units=data.get("units", sales.units),
            revenue=data.get("revenue", sales.revenue),
            on_promotion=data.get("on_promotion", sales.on_promotion),
        )


class SalesOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = DailySales
        fields = ["id", "product", "sku", "date", "units", "revenue", "on_promotion"]
        read_only_fields = fields


class SalesBulkResultSerializer(serializers.Serializer):
    written = serializers.IntegerField(
        read_only=True, help_text=_("Rows inserted or replaced, all in one transaction.")
    )
