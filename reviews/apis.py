"""Reviews API: thin views over `reviews.services` and `reviews.selectors`, scoped to one
merchant: reviews with their analyses, complaint topics, insights, sentiment models, and
starting a (re-)analysis."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, status
from rest_framework.response import Response

from accounts.permissions import ANALYSE_REVIEWS, IMPORT_DATA
from core.api.filters import StableOrderingFilter
from core.api.views import ApiView, MerchantScopedMixin
from products.models import Product

from .filters import ReviewFilter, TopicFilter
from .models import ComplaintTopic, Review, SentimentModel
from .selectors.insights import (
    complaint_topics,
    merchant_insights,
    product_insights,
    sentiment_models,
    topic_examples,
    with_analysis,
)
from .serializers import (
    AnalyseInputSerializer,
    AnalyseStartedOutputSerializer,
    ComplaintTopicDetailOutputSerializer,
    ComplaintTopicOutputSerializer,
    InsightsQuerySerializer,
    MerchantInsightsOutputSerializer,
    MerchantInsightsQuerySerializer,
    ProductInsightsOutputSerializer,
    ReviewInputSerializer,
    ReviewOutputSerializer,
    SentimentModelOutputSerializer,
)
from .services import review_create, review_update
from .services.analysis import reviews_backfill_start

REVIEWS = ["reviews"]
INSIGHTS = ["review insights"]
# Re-analysing a whole store is heavy: owners and managers, the roles that approve content.


def _merchant_reviews(merchant):
    # The product row is joined for its SKU only; descriptions stay in the database. The
    # analysis, its topic and aspect mentions come in the same query plus one prefetch.
    return with_analysis(
        Review.objects.filter(merchant=merchant).defer(
            *(f"product__{name}" for name in ("attributes", "description", "title"))
        )
    )


class ReviewListApi(MerchantScopedMixin, ApiView):
    """Customer reviews of the merchant's products, each with its `analysis` (null until
    analysed): language, sentiment and score, the model that scored it, complaint topic, and
    aspect mentions with polarity and the span that carries them.

    Filters: `product` (id), `sku`, `rating`, `rating_min`, `rating_max`, `language`
    (en, zh, other), `source`, `created_from`, `created_to` (ISO 8601 instants), `date_from`,
    `date_to` (days in the merchant's time zone), `sentiment`, `aspect` and/or `polarity`,
    `topic` (id), `analysed` (true/false). `q` and `search` match title and text (substring,
    any case). `ordering`: created_at, rating, imported_at (default `-created_at`, newest
    first). Page-number pagination: `page`, `page_size` (default 50, at most 500).
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
        review = self.get_queryset().get(pk=review.pk)
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
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data)


class ReviewAnalyseApi(MerchantScopedMixin, ApiView):
    """Start analysing the merchant's reviews (a `review_backfill` job with progress)."""

    queryset = Review.objects.none()
    serializer_class = AnalyseStartedOutputSerializer
    filter_backends: list = []
    write_action = ANALYSE_REVIEWS

    def get_merchant_queryset(self):
        return Review.objects.filter(merchant=self.merchant)

    @extend_schema(
        summary="Analyse the merchant's reviews",
        description="Starts a background job (202 with its id) that analyses every review that "
        "is new or outdated (another analyser version or sentiment model), or every review "
        "with `force`, optionally of one `language`; then regroups the complaint topics. A "
        "backfill that is still queued is returned instead of starting a second one. Follow it "
        "with `GET jobs/{job_id}/`. Owners and managers only.",
        tags=REVIEWS,
        request=AnalyseInputSerializer,
        responses={202: AnalyseStartedOutputSerializer},
    )
    def post(self, request):
        data = self.input_serializer(AnalyseInputSerializer).validated_data
        job = reviews_backfill_start(
            merchant=self.merchant,
            started_by=request.user,
            language=data["language"],
            force=data["force"],
        )
        return _job_started(job)


def _job_started(job) -> Response:
    # By now the job's transaction has committed and the broker was tried (or found down).
    job.refresh_from_db(fields=["status", "enqueued_at", "enqueue_error", "progress_total"])
    data = {
        "job_id": job.pk,
        "status": job.status,
        "kind": job.kind,
        "reviews": job.progress_total,
        "waiting_for_queue": job.waiting_for_queue,
    }
    return Response(AnalyseStartedOutputSerializer(data).data, status=status.HTTP_202_ACCEPTED)


# --- Topics -------------------------------------------------------------------------------------


class TopicListApi(MerchantScopedMixin, ApiView):
    """The merchant's complaint topics, largest first.

    Filters: `product` (id: that product's topics), `category` (that category's category-level
    topics), `language` (en, zh), `aspect`, `scope` (product or category). Topics are
    regrouped nightly and after each analysis job.
    """

    queryset = ComplaintTopic.objects.none()
    serializer_class = ComplaintTopicOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TopicFilter

    def get_merchant_queryset(self):
        return complaint_topics(merchant=self.merchant)

    @extend_schema(
        summary="List complaint topics",
        tags=INSIGHTS,
        responses=ComplaintTopicOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TopicDetailApi(MerchantScopedMixin, ApiView):
    """One complaint topic with its example reviews; another merchant's id is a 404."""

    queryset = ComplaintTopic.objects.none()
    serializer_class = ComplaintTopicDetailOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "topic_id"

    def get_merchant_queryset(self):
        return complaint_topics(merchant=self.merchant)

    @extend_schema(summary="Get a complaint topic", tags=INSIGHTS)
    def get(self, request, topic_id: int):
        topic = self.get_object()
        context = {
            **self.get_serializer_context(),
            "examples": topic_examples(merchant=self.merchant, topic=topic),
        }
        return Response(ComplaintTopicDetailOutputSerializer(topic, context=context).data)


# --- Insights -----------------------------------------------------------------------------------


class ProductInsightsApi(MerchantScopedMixin, ApiView):
    """What one product's reviews say: weekly sentiment trend, aspect breakdown with polarity,
    top complaint topics with example reviews, rating distribution."""

    queryset = Product.objects.none()
    serializer_class = ProductInsightsOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"

    def get_merchant_queryset(self):
        return Product.objects.for_merchant(self.merchant)

    @extend_schema(
        summary="Review insights of a product",
        description="`weeks`: length of the weekly trend (default 12, the current week last). "
        "`since`: count only reviews written from this day (default: all).",
        tags=INSIGHTS,
        parameters=[InsightsQuerySerializer],
    )
    def get(self, request, product_id: int):
        product = self.get_object()
        query = InsightsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        insights = product_insights(
            merchant=self.merchant,
            product=product,
            weeks=query.validated_data["weeks"],
            since=query.validated_data["since"],
        )
        return Response(ProductInsightsOutputSerializer(insights).data)


class MerchantInsightsApi(MerchantScopedMixin, ApiView):
    """The merchant's reviews at a glance: worst products by negative share (with the previous
    period and a weekly trend), merchant-wide trend, aspects and largest complaint topics."""

    queryset = Review.objects.none()
    serializer_class = MerchantInsightsOutputSerializer
    filter_backends: list = []

    def get_merchant_queryset(self):
        return Review.objects.filter(merchant=self.merchant)

    @extend_schema(
        summary="Review insights of the merchant",
        description="`days`: the period (default 90 days up to today), compared with the "
        "same number of days before. `min_reviews`: products with fewer analysed reviews in "
        "the period are not ranked. `limit`: how many products. `weeks`: trend length.",
        tags=INSIGHTS,
        parameters=[MerchantInsightsQuerySerializer],
    )
    def get(self, request):
        query = MerchantInsightsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        insights = merchant_insights(merchant=self.merchant, **query.validated_data)
        return Response(MerchantInsightsOutputSerializer(insights).data)


# --- Sentiment models ---------------------------------------------------------------------------


class SentimentModelListApi(MerchantScopedMixin, ApiView):
    """The merchant's own sentiment models, newest first, with the held-out scores of each
    and of the shipped default on the same reviews. Status `active` is the one in use for its
    language; `rejected` did not beat the default."""

    queryset = SentimentModel.objects.none()
    serializer_class = SentimentModelOutputSerializer
    filter_backends: list = []

    def get_merchant_queryset(self):
        return sentiment_models(merchant=self.merchant)

    @extend_schema(
        summary="List sentiment models",
        tags=INSIGHTS,
        responses=SentimentModelOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
