"""The bulk API's documented shapes: one item serializer per kind, built from the import's field
list (`imports.parsing.fields.FIELDS`), the result and the error.

The item serializers document the request in the OpenAPI schema; they do not validate it. Items
are validated by the file import's `RowValidator` (`imports.bulk_services`), so the API accepts
exactly what a file row may hold: numbers as JSON numbers or as text ("¥1,234.50"), dates in the
formats a file may use, booleans as true/false or yes/no.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from imports.parsing import fields as import_fields
from imports.parsing.fields import FIELDS
from products.models import ProductStatus
from reviews.models import ReviewLanguage

from .bulk_services import BULK_KINDS, BULK_MODE_CHOICES, STATUSES


def _item_field(field: import_fields.Field) -> serializers.Field:
    """The JSON type a target field documents (the validator also accepts text forms)."""
    common = {"required": field.required, "help_text": field.help or field.label}
    if not field.required:
        common["allow_null"] = True
    kind = field.type
    if kind in (import_fields.INTEGER, import_fields.QUANTITY):
        return serializers.IntegerField(min_value=0, **common)
    if kind == import_fields.RATING:
        return serializers.IntegerField(min_value=1, max_value=5, **common)
    if kind in (import_fields.PRICE, import_fields.AMOUNT):
        return serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, coerce_to_string=False, **common
        )
    if kind == import_fields.DATE:
        return serializers.DateField(**common)
    if kind == import_fields.DATETIME:
        return serializers.DateTimeField(**common)
    if kind == import_fields.BOOLEAN:
        return serializers.BooleanField(**common)
    if kind == import_fields.LANGUAGE:
        return serializers.ChoiceField(choices=ReviewLanguage.choices, **common)
    if kind == import_fields.PRODUCT_STATUS:
        return serializers.ChoiceField(choices=ProductStatus.choices, **common)
    if kind == import_fields.ATTRIBUTES:
        return serializers.DictField(child=serializers.CharField(), **common)
    if kind == import_fields.CURRENCY:
        return serializers.CharField(max_length=8, **common)
    return serializers.CharField(max_length=field.max_length, allow_blank=True, **common)


def _item_serializer(kind: str) -> type[serializers.Serializer]:
    fields = {field.name: _item_field(field) for field in FIELDS[kind]}
    name = f"Bulk{kind.capitalize()}ItemSerializer"
    return type(name, (serializers.Serializer,), {**fields, "__module__": __name__})


ITEM_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    kind: _item_serializer(kind) for kind in BULK_KINDS
}


class BulkItemStatusSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request array."))
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text=_(
            "created / updated / unchanged; duplicate: a later item has the same key and was "
            "stored instead; rejected: see `item_errors`."
        ),
    )


class BulkItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request array."))
    field = serializers.CharField(help_text=_("The item's key; empty for the item as a whole."))
    code = serializers.CharField(
        help_text=_(
            "Stable: the file import's row codes (e.g. required, not_a_number, out_of_range, "
            "bad_date, unknown_sku) and not_an_object, unknown_field, not_a_value, "
            "invalid_attributes."
        )
    )
    message = serializers.CharField(help_text=_("For humans; may be translated."))
    value = serializers.CharField(help_text=_("The value as sent (shortened)."))


class BulkResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    # Text, not an enum: the choices are documented on the `mode` query parameter.
    mode = serializers.CharField(help_text=_("all_or_nothing or valid_items, as requested."))
    received = serializers.IntegerField(help_text=_("Items in the request."))
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    products_created = serializers.IntegerField(
        help_text=_("Products created for unknown SKUs (`create_unknown_skus=true`).")
    )
    unknown_skus = serializers.ListField(child=serializers.CharField())
    items = BulkItemStatusSerializer(many=True)
    item_errors = BulkItemErrorSerializer(many=True)


class BulkRejectedBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("invalid_items"))
    message = serializers.CharField()
    item_errors = BulkItemErrorSerializer(many=True)


class BulkRejectedSerializer(serializers.Serializer):
    error = BulkRejectedBodySerializer()


class BulkQuerySerializer(serializers.Serializer):
    """The query string: how to write, and what to do with SKUs the catalog does not have."""

    mode = serializers.ChoiceField(
        choices=BULK_MODE_CHOICES,
        default="all_or_nothing",
        help_text=_(
            "all_or_nothing: any invalid item and nothing is written (400). valid_items: the "
            "valid items are written and the others come back rejected (207)."
        ),
    )
    create_unknown_skus = serializers.BooleanField(
        default=False,
        help_text=_(
            "Sales, stock and reviews: create a minimal product for an SKU the catalog does "
            "not have, instead of rejecting the item."
        ),
    )
