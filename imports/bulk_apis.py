"""Bulk upsert API: `POST /api/v1/bulk/{products,sales,stock,reviews}/` with a JSON array.

Thin views over `imports.bulk_services.bulk_upsert`. The body is read by `BulkJSONParser`,
which refuses more than `BULK_MAX_BODY_BYTES` before reading it all (413) and answers any JSON
it cannot read (malformed, nested too deep, NaN, a number beyond range) with a 400, so no body
ever reaches a 500. Writing needs a role that may import data.
"""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.permissions import IMPORT_DATA
from core.api.errors import ApiError
from core.api.views import ApiView, MerchantScopedMixin
from imports.models import ImportKind

from .bulk_serializers import (
    ITEM_SERIALIZERS,
    BulkQuerySerializer,
    BulkRejectedSerializer,
    BulkResultSerializer,
)
from .bulk_services import BulkRejected, bulk_max_body_bytes, bulk_max_items, bulk_upsert

BULK = ["bulk"]


def _too_large() -> ApiError:
    return ApiError(
        "body_too_large",
        _("The request body is larger than %(limit)d bytes; send fewer items per request.")
        % {"limit": bulk_max_body_bytes()},
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class BulkJSONParser(JSONParser):
    """JSON with a size limit, read at most one byte past the limit, and strict numbers."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = bulk_max_body_bytes()
        request = parser_context.get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            declared = 0
        if declared > limit:
            raise _too_large()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise _too_large()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(
                raw.decode(encoding), parse_float=_finite_float, parse_constant=_no_constant
            )
        except (ValueError, RecursionError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(_("The body is not valid JSON.")) from exc


class BulkErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class BulkErrorSerializer(serializers.Serializer):
    error = BulkErrorBodySerializer()


_EXAMPLES = {
    ImportKind.PRODUCTS: [
        {
            "sku": "DRK-BTL-750-SLV",
            "title": "Insulated bottle 750 ml, silver",
            "price": "24.90",
            "cost": 9.5,
            "currency": "USD",
            "category": "Drinkware",
            "attributes": {"material": "stainless steel", "capacity": "750 ml"},
        },
        {"sku": "KIT-PAN-28-GRY", "title": "不粘锅 28cm", "price": 199, "currency": "CNY"},
    ],
    ImportKind.SALES: [
        {"sku": "DRK-BTL-750-SLV", "date": "2026-03-01", "units": 12, "revenue": "298.80"},
        {"sku": "DRK-BTL-750-SLV", "date": "2026-03-02", "units": 9, "on_promotion": True},
    ],
    ImportKind.STOCK: [
        {"sku": "DRK-BTL-750-SLV", "on_hand": 140, "inbound": 300},
        {"sku": "KIT-PAN-28-GRY", "on_hand": 0, "date": "2026-03-02"},
    ],
    ImportKind.REVIEWS: [
        {
            "sku": "DRK-BTL-750-SLV",
            "external_id": "shop-981",
            "rating": 2,
            "body": "The lid leaks after a week.",
            "created_at": "2026-03-01T09:30:00+08:00",
            "source": "shopify",
        },
        {"sku": "DRK-BTL-750-SLV", "rating": 5, "body": "保温效果很好", "language": "zh"},
    ],
}
_RESULT_EXAMPLE = {
    "kind": "sales",
    "mode": "valid_items",
    "received": 3,
    "created": 1,
    "updated": 1,
    "unchanged": 0,
    "duplicates": 0,
    "rejected": 1,
    "products_created": 0,
    "unknown_skus": [],
    "items": [
        {"index": 0, "status": "created"},
        {"index": 1, "status": "updated"},
        {"index": 2, "status": "rejected"},
    ],
    "item_errors": [
        {
            "index": 2,
            "field": "units",
            "code": "not_a_number",
            "message": "Item 2, field “units”: “twelve” is not a number.",
            "value": "twelve",
        }
    ],
}
_REJECTED_EXAMPLE = {
    "error": {
        "code": "invalid_items",
        "message": "1 of 3 items is invalid; nothing was written.",
        "item_errors": _RESULT_EXAMPLE["item_errors"],
    }
}


def _description(kind: str) -> str:
    unknown = (
        ""
        if kind == ImportKind.PRODUCTS
        else (
            " An SKU the catalog does not have (another merchant's SKUs are unknown too) "
            "rejects the item with `unknown_sku`, unless `create_unknown_skus=true`."
        )
    )
    return (
        f"Upsert up to {bulk_max_items():,} {kind} items (a JSON array, at most "
        f"{bulk_max_body_bytes():,} bytes) with the same validation and natural keys as a "
        f"{kind} file import: sending the same items again changes nothing.{unknown} "
        "`mode=all_or_nothing` (default): when any item is invalid nothing is written and the "
        "answer is 400 `invalid_items` with every problem in `error.item_errors`. "
        "`mode=valid_items`: the valid items are written; the answer is 207 with per-item "
        "results when some were rejected, 200 when none were. Needs a role that may import data."
    )


def bulk_schema(kind: str):
    item = ITEM_SERIALIZERS[kind]
    return extend_schema(
        operation_id=f"bulk_{kind}_upsert",
        summary=f"Bulk upsert {kind}",
        description=_description(kind),
        tags=BULK,
        parameters=[BulkQuerySerializer],
        request=item(many=True),
        responses={
            200: OpenApiResponse(BulkResultSerializer, description="Every item was accepted."),
            207: OpenApiResponse(
                BulkResultSerializer,
                description="`mode=valid_items` and some items were rejected (see `items`).",
            ),
            400: OpenApiResponse(
                BulkRejectedSerializer,
                description=(
                    "`invalid_items`: all or nothing and some items are invalid, nothing was "
                    "written. Other 400 codes (`not_an_array`, `no_items`, `invalid` query, "
                    "`malformed_request`) have the common error shape without `item_errors`."
                ),
            ),
            413: OpenApiResponse(
                BulkErrorSerializer,
                description=(
                    f"`too_many_items` (more than {bulk_max_items():,}) or `body_too_large` "
                    f"(more than {bulk_max_body_bytes():,} bytes); split the request."
                ),
            ),
        },
        examples=[
            OpenApiExample(f"{kind} items", value=_EXAMPLES[kind], request_only=True),
            OpenApiExample(
                "Some items rejected (valid_items)",
                value=_RESULT_EXAMPLE,
                response_only=True,
                status_codes=["207"],
            ),
            OpenApiExample(
                "Nothing written (all_or_nothing)",
                value=_REJECTED_EXAMPLE,
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )


class _BulkUpsertApi(MerchantScopedMixin, ApiView):
    kind: str = ""
    parser_classes = [BulkJSONParser]
    serializer_class = BulkResultSerializer
    filter_backends: list = []
    pagination_class = None
    write_action = IMPORT_DATA

    def _query(self) -> dict:
        query = BulkQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        if data["create_unknown_skus"] and self.kind == ImportKind.PRODUCTS:
            raise exceptions.ValidationError(
                {"create_unknown_skus": [_("Only sales, stock and reviews name other products.")]}
            )
        return data

    def _items(self) -> list:
        items = self.request.data
        if not isinstance(items, list):
            raise ApiError("not_an_array", _("Send a JSON array of items, even for a single item."))
        if not items:
            raise ApiError("no_items", _("The array is empty; send at least one item."))
        if len(items) > bulk_max_items():
            raise ApiError(
                "too_many_items",
                _("At most %(limit)d items per request; this one has %(count)d.")
                % {"limit": bulk_max_items(), "count": len(items)},
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        return items

    def post(self, request):
        query = self._query()
        items = self._items()
        try:
            result = bulk_upsert(
                merchant=self.merchant,
                kind=self.kind,
                items=items,
                mode=query["mode"],
                create_unknown_skus=query["create_unknown_skus"],
            )
        except BulkRejected as rejected:
            body = {
                "error": {
                    "code": rejected.error_code,
                    "message": str(rejected.detail),
                    "item_errors": [error.as_dict() for error in rejected.item_errors],
                }
            }
            return Response(body, status=rejected.status_code)
        answer = status.HTTP_207_MULTI_STATUS if result.rejected else status.HTTP_200_OK
        return Response(result.as_dict(), status=answer)


class BulkProductsApi(_BulkUpsertApi):
    kind = ImportKind.PRODUCTS

    @bulk_schema(ImportKind.PRODUCTS)
    def post(self, request):
        return super().post(request)


class BulkSalesApi(_BulkUpsertApi):
    kind = ImportKind.SALES

    @bulk_schema(ImportKind.SALES)
    def post(self, request):
        return super().post(request)


class BulkStockApi(_BulkUpsertApi):
    kind = ImportKind.STOCK

    @bulk_schema(ImportKind.STOCK)
    def post(self, request):
        return super().post(request)


class BulkReviewsApi(_BulkUpsertApi):
    kind = ImportKind.REVIEWS

    @bulk_schema(ImportKind.REVIEWS)
    def post(self, request):
        return super().post(request)
