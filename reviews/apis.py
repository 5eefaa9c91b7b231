"""Reviews API: thin views over `reviews.services`, scoped to one merchant."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters
from rest_framework.response import Response

from accounts.permissions import IMPORT_DATA
from core.api.filters import StableOrderingFilter
from core.api.views import ApiView, MerchantScopedMixin

from .filters import ReviewFilter
from .models import Review
from .serializers import ReviewInputSerializer, ReviewOutputSerializer
from .services import review_create, review_update

REVIEWS = ["reviews"]


def _merchant_reviews(merchant):
    # The product row is joined for its SKU only; descriptions stay in the database.
    return (
        Review.objects.filter(merchant=merchant)
        .select_related("product")
        .defer(*(f"product__{name}" for name in ("attributes", "description", "title")))
    )


class ReviewListApi(MerchantScopedMixin, ApiView):
    """Customer reviews of the merchant's products.

    Filters: `product` (id), `sku`, `rating`, `rating_min`, `rating_max`, `language`
    (en, zh, other), `source`, `created_from`, `created_to` (ISO 8601). `search` matches title
    and text (substring, any case). `ordering`: created_at, rating, imported_at (default
    `-created_at`, newest first). Page-number pagination: `page`, `page_size` (default 50, at
    most 500).
    """

    queryset = Review.objects.none()
    serializer_class = ReviewOutputSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, StableOrderingFilter]
    filterset_class = ReviewFilter
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "rating", "imported_at"]
    ordering = ["-created_at"]
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_reviews(self.merchant)

    @extend_schema(
        summary="List reviews", tags=REVIEWS, responses=ReviewOutputSerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a review",
        description="`language` is detected from the text when left blank. An `external_id` "
        "already used for the same `source` is a 400 with an error on `external_id`. Needs a "
        "role that may import data.",
        tags=REVIEWS,
        request=ReviewInputSerializer,
        responses={201: ReviewOutputSerializer},
    )
    def post(self, request):
        data = dict(self.input_serializer(ReviewInputSerializer).validated_data)
        review = review_create(merchant=self.merchant, product=data.pop("product"), **data)
        return Response(self.get_serializer(review).data, status=201)


class ReviewDetailApi(MerchantScopedMixin, ApiView):
    """One review; another merchant's id is a 404."""

    queryset = Review.objects.none()
    serializer_class = ReviewOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "review_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_reviews(self.merchant)

    @extend_schema(summary="Get a review", tags=REVIEWS)
    def get(self, request, review_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Replace a review's fields",
        description="Fields left out keep their value; `product` and `body` are required. "
        "`language` is detected again when the text changes and no language is sent.",
        tags=REVIEWS,
        request=ReviewInputSerializer,
        responses=ReviewOutputSerializer,
    )
    def put(self, request, review_id: int):
        return self._update(partial=False)

    @extend_schema(
        summary="Change some of a review's fields",
        tags=REVIEWS,
        request=ReviewInputSerializer,
        responses=ReviewOutputSerializer,
    )
    def patch(self, request, review_id: int):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        review = self.get_object()
        data = self.input_serializer(ReviewInputSerializer, review, partial=partial)
        review = review_update(review=review, **data.validated_data)
        return Response(self.get_serializer(review).data)
