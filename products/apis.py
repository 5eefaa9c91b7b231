"""Catalog and stock API: thin views over `products.services`, scoped to one merchant."""

from __future__ import annotations

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters
from rest_framework.response import Response

from accounts.permissions import EDIT_CATALOG, IMPORT_DATA
from core.api.filters import StableOrderingFilter
from core.api.views import ApiView, MerchantScopedMixin

from .filters import ProductFilter, StockLevelFilter, StockSnapshotFilter
from .models import Product, StockLevel, StockSnapshot
from .serializers import (
    ProductInputSerializer,
    ProductOutputSerializer,
    StockCreateInputSerializer,
    StockInputSerializer,
    StockLevelOutputSerializer,
    StockSnapshotOutputSerializer,
)
from .services import product_create, product_update, stock_set

PRODUCTS = ["products"]
STOCK = ["stock"]


def _merchant_products(merchant):
    return Product.objects.for_merchant(merchant).select_related("stock")


def _stock_levels(merchant):
    # The product row is joined for its SKU and title only; descriptions stay in the database.
    return (
        StockLevel.objects.filter(merchant=merchant)
        .select_related("product")
        .only("on_hand", "inbound", "updated_at", "product__sku", "product__title")
        .annotate(sku=F("product__sku"))
    )


class ProductListApi(MerchantScopedMixin, ApiView):
    """The merchant's products with their current stock (`on_hand`, `inbound`).

    Filters: `sku`, `category`, `status`, `brand` (any case), `price_min`, `price_max`,
    `updated_since` (ISO 8601). `search` matches SKU, title and brand (substring, any case).
    `ordering`: sku, title, price, updated_at, created_at (prefix `-` for descending; default
    sku). Page-number pagination: `page`, `page_size` (default 50, at most 500).
    """

    queryset = Product.objects.none()
    serializer_class = ProductOutputSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, StableOrderingFilter]
    filterset_class = ProductFilter
    search_fields = ["sku", "title", "brand"]
    ordering_fields = ["sku", "title", "price", "updated_at", "created_at"]
    ordering = ["sku"]
    write_action = EDIT_CATALOG

    def get_merchant_queryset(self):
        return _merchant_products(self.merchant)

    @extend_schema(
        summary="List products", tags=PRODUCTS, responses=ProductOutputSerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Create a product",
        description="Needs a role that may edit the catalog. A SKU the merchant already "
        "uses is a 400 with an error on `sku`.",
        tags=PRODUCTS,
        request=ProductInputSerializer,
        responses={201: ProductOutputSerializer},
    )
    def post(self, request):
        data = self.input_serializer(ProductInputSerializer).validated_data
        product = product_create(merchant=self.merchant, **data)
        return Response(self.get_serializer(product).data, status=201)


class ProductDetailApi(MerchantScopedMixin, ApiView):
    """One product of the merchant with its current stock; another merchant's id is a 404."""

    queryset = Product.objects.none()
    serializer_class = ProductOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"
    write_action = EDIT_CATALOG

    def get_merchant_queryset(self):
        return _merchant_products(self.merchant)

    @extend_schema(summary="Get a product", tags=PRODUCTS)
    def get(self, request, product_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Replace a product's fields",
        description="Fields left out keep their value; `sku`, `title` and `price` are required.",
        tags=PRODUCTS,
        request=ProductInputSerializer,
        responses=ProductOutputSerializer,
    )
    def put(self, request, product_id: int):
        return self._update(partial=False)

    @extend_schema(
        summary="Change some of a product's fields",
        tags=PRODUCTS,
        request=ProductInputSerializer,
        responses=ProductOutputSerializer,
    )
    def patch(self, request, product_id: int):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        product = self.get_object()
        data = self.input_serializer(ProductInputSerializer, product, partial=partial)
        product = product_update(product=product, **data.validated_data)
        return Response(self.get_serializer(product).data)


class StockListApi(MerchantScopedMixin, ApiView):
    """Current stock levels of the merchant's products (products never counted are absent).

    Filters: `product` (id), `sku`, `on_hand__lte` (low stock), `on_hand__gte`. `ordering`:
    sku, on_hand, inbound, updated_at (default sku). Page-number pagination: `page`,
    `page_size` (default 50, at most 500).
    """

    queryset = StockLevel.objects.none()
    serializer_class = StockLevelOutputSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = StockLevelFilter
    ordering_fields = ["sku", "on_hand", "inbound", "updated_at"]
    ordering = ["sku"]
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _stock_levels(self.merchant)

    @extend_schema(
        summary="List stock levels", tags=STOCK, responses=StockLevelOutputSerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Set a product's stock",
        description="Sets the current level of `product` (creating it on the first count) "
        "and records it in today's snapshot (the merchant's time zone). Needs a role that may "
        "import data.",
        tags=STOCK,
        request=StockCreateInputSerializer,
        responses={200: StockLevelOutputSerializer},
    )
    def post(self, request):
        data = self.input_serializer(StockCreateInputSerializer)
        product = data.validated_data["product"]
        level = stock_set(product=product, **data.stock_levels(getattr(product, "stock", None)))
        return Response(self.get_serializer(level).data)


class StockDetailApi(MerchantScopedMixin, ApiView):
    """The current stock of one product; PUT/PATCH set it and record today's snapshot."""

    queryset = Product.objects.none()
    serializer_class = StockLevelOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_products(self.merchant)

    @extend_schema(
        summary="Get a product's stock",
        description="404 when the product is not the merchant's or was never counted.",
        tags=STOCK,
    )
    def get(self, request, product_id: int):
        level = getattr(self.get_object(), "stock", None)
        if level is None:
            raise exceptions.NotFound(_("No stock has been recorded for this product."))
        return Response(self.get_serializer(level).data)

    @extend_schema(
        summary="Set a product's stock",
        description="`on_hand` is required; `inbound` keeps its value when left out.",
        tags=STOCK,
        request=StockInputSerializer,
        responses=StockLevelOutputSerializer,
    )
    def put(self, request, product_id: int):
        return self._set(partial=False)

    @extend_schema(
        summary="Change a product's stock",
        tags=STOCK,
        request=StockInputSerializer,
        responses=StockLevelOutputSerializer,
    )
    def patch(self, request, product_id: int):
        return self._set(partial=True)

    def _set(self, *, partial: bool):
        product = self.get_object()
        data = self.input_serializer(StockInputSerializer, partial=partial)
        level = stock_set(product=product, **data.stock_levels(getattr(product, "stock", None)))
        return Response(self.get_serializer(level).data)


class StockHistoryApi(MerchantScopedMixin, ApiView):
    """Daily stock snapshots of one product (one row per day with a count or a carry-over).

    Filters: `date_from`, `date_to` (YYYY-MM-DD, inclusive). `ordering`: date (default
    `-date`, newest first). Page-number pagination: `page`, `page_size` (≤ 500).
    """

    queryset = StockSnapshot.objects.none()
    serializer_class = StockSnapshotOutputSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = StockSnapshotFilter
    ordering_fields = ["date"]
    ordering = ["-date"]

    def get_merchant_queryset(self):
        product = get_object_or_404(
            Product.objects.for_merchant(self.merchant).only("pk"), pk=self.kwargs["product_id"]
        )
        return StockSnapshot.objects.filter(merchant=self.merchant, product=product).only(
            "date", "on_hand", "inbound"
        )

    @extend_schema(
        summary="List a product's stock history",
        tags=STOCK,
        responses=StockSnapshotOutputSerializer(many=True),
    )
    def get(self, request, product_id: int):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
