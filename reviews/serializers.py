"""API serializers for reviews: input (validation) and output kept apart."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from products.serializers import MerchantProductField

from .models import Review

DEFAULT_SOURCE = Review._meta.get_field("source").default


class ReviewInputSerializer(serializers.ModelSerializer):
    product = MerchantProductField(help_text=_("Id of one of the merchant's products."))

    class Meta:
        model = Review
        fields = [
            "product",
            "source",
            "external_id",
            "rating",
            "title",
            "body",
            "language",
            "author_name",
            "created_at",
        ]
        extra_kwargs = {
            "external_id": {
                "help_text": _("The review's id at its source; unique per merchant and source.")
            },
            "language": {"help_text": _("Detected from the text when left blank.")},
            "created_at": {"help_text": _("When the customer wrote it; defaults to now.")},
        }

    def validate(self, attrs):
        def current(field, default):
            return attrs.get(field, getattr(self.instance, field, default))

        external_id = current("external_id", "")
        if external_id:
            taken = Review.objects.filter(
                merchant=self.context["request"].merchant,
                source=current("source", DEFAULT_SOURCE),
                external_id=external_id,
            )
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {"external_id": _("A review with this external id exists for this source.")}
                )
        return attrs


class ReviewOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "product",
            "sku",
            "source",
            "external_id",
            "rating",
            "title",
            "body",
            "language",
            "author_name",
            "created_at",
            "imported_at",
        ]
        read_only_fields = fields
