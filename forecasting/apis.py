"""Daily sales API: thin views over `forecasting.services.sales_upsert`, scoped to one merchant."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework.response import Response

from accounts.permissions import IMPORT_DATA
from core.api.filters import StableOrderingFilter
from core.api.views import ApiView, MerchantScopedMixin

from .filters import SalesFilter
from .models import DailySales
from .serializers import (
    MAX_SALES_ROWS_PER_REQUEST,
    SalesBulkResultSerializer,
    SalesInputSerializer,
    SalesOutputSerializer,
    SalesUpdateInputSerializer,
)
from .services import sales_upsert

SALES = ["sales"]


def _merchant_sales(merchant):
    # The product row is joined for its SKU only; descriptions stay in the database.
    return (
        DailySales.objects.filter(merchant=merchant)
        .select_related("product")
        .only("date", "units", "revenue", "on_promotion", "product__sku")
    )


class SalesListApi(MerchantScopedMixin, ApiView):
    """Daily units and revenue per product (the merchant's local dates).

    Filters: `product` (id), `sku`, `date_from`, `date_to` (YYYY-MM-DD, inclusive),
    `on_promotion`. `ordering`: date, units, revenue (default `-date`, newest first).
    Page-number pagination: `page`, `page_size` (default 50, at most 500). Page numbers rather
    than cursors: a cursor positions on the first ordering key only and caps its offset at
    1,000, which breaks store-wide date order once more than 1,000 products sell on one day.
    """

    queryset = DailySales.objects.none()
    serializer_class = SalesOutputSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = SalesFilter
    ordering_fields = ["date", "units", "revenue"]
    ordering = ["-date"]
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_sales(self.merchant)

    @extend_schema(
        summary="List daily sales", tags=SALES, responses=SalesOutputSerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Write daily sales",
        description=(
            "Send one row (an object) or up to "
            f"{MAX_SALES_ROWS_PER_REQUEST:,} rows (an array). A row replaces the merchant's "
            "row of the same product and date. All or nothing: when any row is invalid, none "
            "is written and the error lists the invalid rows by their index in `items`. One "
            "row answers the stored row; an array answers how many rows were written. Needs a "
            "role that may import data."
        ),
        tags=SALES,
        request=PolymorphicProxySerializer(
            component_name="SalesWrite",
            serializers=[SalesInputSerializer, SalesInputSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="SalesWritten",
                serializers=[SalesOutputSerializer, SalesBulkResultSerializer],
                resource_type_field_name=None,
                many=False,
            )
        },
    )
    def post(self, request):
        many = isinstance(request.data, list)
        data = self.input_serializer(SalesInputSerializer, many=many)
        rows = SalesInputSerializer.sales_rows(data.validated_data)
        written = sales_upsert(merchant=self.merchant, rows=rows)
        if many:
            return Response(SalesBulkResultSerializer({"written": written}).data, status=201)
        sales = self.get_queryset().get(product_id=rows[0].product_id, date=rows[0].date)
        return Response(self.get_serializer(sales).data, status=201)


class SalesDetailApi(MerchantScopedMixin, ApiView):
    """One day of one product; another merchant's id is a 404."""

    queryset = DailySales.objects.none()
    serializer_class = SalesOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "sales_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_sales(self.merchant)

    @extend_schema(summary="Get a day's sales", tags=SALES)
    def get(self, request, sales_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Replace a day's figures",
        description="Product and date identify the row and cannot change; `on_promotion` "
        "keeps its value when left out.",
        tags=SALES,
        request=SalesUpdateInputSerializer,
        responses=SalesOutputSerializer,
    )
    def put(self, request, sales_id: int):
        return self._update(partial=False)

    @extend_schema(
        summary="Change some of a day's figures",
        tags=SALES,
        request=SalesUpdateInputSerializer,
        responses=SalesOutputSerializer,
    )
    def patch(self, request, sales_id: int):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        sales = self.get_object()
        data = self.input_serializer(SalesUpdateInputSerializer, partial=partial)
        sales_upsert(merchant=self.merchant, rows=[data.sales_row(sales)])
        sales.refresh_from_db(fields=["units", "revenue", "on_promotion"])
        return Response(self.get_serializer(sales).data)
