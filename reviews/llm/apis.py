"""API of the review language-model features: "what customers say" summaries and reply drafts.

Thin views over `reviews.services.summaries` / `reviews.services.replies`. Starting work is a
202 with the job's id (follow it on the jobs API); a role that may not generate is a 403;
another merchant's product or review is a 404. Reply drafts are content drafts (kind
`review_reply`): edit, approve, reject, override and publish them with the content API
(`/api/v1/content/drafts/{id}/...`), whose role rules and 409 codes apply.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import GENERATE_CONTENT
from core.api.errors import ApiError
from core.api.views import ApiView, MerchantScopedMixin
from products.models import Product
from reviews.models import Review
from reviews.services.replies import reply_generate_start
from reviews.services.summaries import summary_generate_start

from .selectors import reply_drafts, summaries_list, summary_latest
from .serializers import (
    ReplyDraftOutputSerializer,
    ReplyStartInputSerializer,
    ReviewJobStartedOutputSerializer,
    SummaryLatestQuerySerializer,
    SummaryOutputSerializer,
    SummaryStartInputSerializer,
)

SUMMARIES = ["review summaries"]
REPLIES = ["review replies"]


def _job_started(job) -> Response:
    # By now the job's transaction has committed and the broker was tried (or found down).
    job.refresh_from_db(fields=["status", "enqueued_at", "enqueue_error"])
    data = {
        "job_id": job.pk,
        "status": job.status,
        "kind": job.kind,
        "waiting_for_queue": job.waiting_for_queue,
    }
    return Response(ReviewJobStartedOutputSerializer(data).data, status=status.HTTP_202_ACCEPTED)


class ProductReviewSummaryListApi(MerchantScopedMixin, ApiView):
    """A product's "what customers say" summaries, newest first; POST writes new ones."""

    queryset = Product.objects.none()
    serializer_class = SummaryOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"
    write_action = GENERATE_CONTENT

    def get_merchant_queryset(self):
        return Product.objects.for_merchant(self.merchant)

    @extend_schema(
        summary="List a product's review summaries",
        tags=SUMMARIES,
        responses=SummaryOutputSerializer(many=True),
    )
    def get(self, request, product_id: int):
        product = self.get_object()
        page = self.paginate_queryset(summaries_list(merchant=self.merchant, product=product))
        return self.get_paginated_response(SummaryOutputSerializer(page, many=True).data)

    @extend_schema(
        summary="Summarise a product's reviews",
        description="Starts a job on the llm queue (202 with its id). Without `aspect` it "
        "writes the overall summary and one per aspect mentioned by at least three reviews "
        "(at most four); with `aspect`, that aspect's only. Every statement cites the reviews "
        "it rests on; statements the citation checker cannot tie to them are dropped "
        "(`dropped`); when none is left the summary is extractive (`method`).",
        tags=SUMMARIES,
        request=SummaryStartInputSerializer,
        responses={202: ReviewJobStartedOutputSerializer},
    )
    def post(self, request, product_id: int):
        product = self.get_object()
        data = self.input_serializer(SummaryStartInputSerializer).validated_data
        job = summary_generate_start(
            merchant=self.merchant,
            product=product,
            aspect=data["aspect"],
            language=data["language"],
            user=request.user,
        )
        return _job_started(job)


class ProductReviewSummaryLatestApi(MerchantScopedMixin, ApiView):
    """The newest summary of a product (overall, or of `aspect`), in `language` if given."""

    queryset = Product.objects.none()
    serializer_class = SummaryOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"

    def get_merchant_queryset(self):
        return Product.objects.for_merchant(self.merchant)

    @extend_schema(
        summary="Get a product's latest review summary",
        description="404 `not_found` when the product has no such summary yet.",
        tags=SUMMARIES,
        parameters=[SummaryLatestQuerySerializer],
    )
    def get(self, request, product_id: int):
        product = self.get_object()
        query = SummaryLatestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = summary_latest(
            merchant=self.merchant,
            product=product,
            aspect=query.validated_data["aspect"],
            language=query.validated_data["language"],
        )
        if summary is None:
            raise ApiError(
                "not_found", _("This product has no such summary yet."), status.HTTP_404_NOT_FOUND
            )
        return Response(SummaryOutputSerializer(summary).data)


class ReviewReplyDraftListApi(MerchantScopedMixin, ApiView):
    """A review's reply drafts, newest first; POST writes a new one."""

    queryset = Review.objects.none()
    serializer_class = ReplyDraftOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "review_id"
    write_action = GENERATE_CONTENT

    def get_merchant_queryset(self):
        return Review.objects.filter(merchant=self.merchant).select_related("product", "merchant")

    @extend_schema(
        summary="List a review's reply drafts",
        description="Edit, approve, reject, override and publish them with the content API "
        "(`/api/v1/content/drafts/{id}/...`); publishing sets the review's reply.",
        tags=REPLIES,
        responses=ReplyDraftOutputSerializer(many=True),
    )
    def get(self, request, review_id: int):
        review = self.get_object()
        page = self.paginate_queryset(reply_drafts(merchant=self.merchant, review=review))
        return self.get_paginated_response(ReplyDraftOutputSerializer(page, many=True).data)

    @extend_schema(
        summary="Write a reply draft for a review",
        description="Starts a job on the llm queue (202 with its id). The draft is grounded in "
        "the review, the product's facts and the reply template, in the review's language; "
        "unsupported claims (facts, promised remedies the template does not offer, links, "
        "blaming words) are flagged and block approval.",
        tags=REPLIES,
        request=ReplyStartInputSerializer,
        responses={202: ReviewJobStartedOutputSerializer},
    )
    def post(self, request, review_id: int):
        review = self.get_object()
        data = self.input_serializer(ReplyStartInputSerializer).validated_data
        job = reply_generate_start(
            merchant=self.merchant,
            review=review,
            user=request.user,
            template=data["template"],
            candidates=data.get("candidates"),
        )
        return _job_started(job)
