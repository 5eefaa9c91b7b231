"""Content studio API: drafts, their lifecycle, generation jobs and published versions.

Thin views over `products.content.services`. A lifecycle refusal is a 409 whose `code` says
why (`unsupported_claims`, `not_approved`, `already_published`, ...); a role that may not act
is a 403; another merchant's draft, version or product is a 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.permissions import APPROVE_CONTENT, GENERATE_CONTENT, PUBLISH_CONTENT
from core.api.errors import ApiError
from core.api.views import ApiView, MerchantScopedMixin

from ..models import Product
from .kinds import ContentKind, ContentLanguage
from .models import ContentDraft, ContentVersion, DraftStatus
from .selectors import QUEUES, content_bulk_products, drafts_list, versions_list
from .serializers import (
    BulkGenerateInputSerializer,
    DraftChooseInputSerializer,
    DraftDetailOutputSerializer,
    DraftEditInputSerializer,
    DraftOutputSerializer,
    GenerationOptionsInputSerializer,
    JobStartedOutputSerializer,
    OverrideInputSerializer,
    PublishOutputSerializer,
    ReasonInputSerializer,
    VersionOutputSerializer,
)
from .services import (
    draft_approve,
    draft_choose_candidate,
    draft_edit,
    draft_generate_start,
    draft_override,
    draft_publish,
    draft_reject,
    drafts_generate_bulk_start,
    version_restore,
)

CONTENT = ["content"]
CONFLICT = OpenApiResponse(
    description=gettext_lazy(
        "The draft's state forbids this: `error.code` is one of unsupported_claims, "
        "not_approved, already_approved, already_published, already_rejected, draft_rejected, "
        "nothing_to_override, already_overridden, already_current, too_long."
    )
)


def _draft_queryset(merchant):
    return ContentDraft.objects.for_merchant(merchant).select_related(
        "product",
        "product__merchant",
        "created_by",
        "approved_by",
        "rejected_by",
        "published_by",
        "override_by",
    )


def _job_started(job, products: int) -> Response:
    # By now the job's transaction has committed and the broker was tried (or found down).
    job.refresh_from_db(fields=["status", "enqueued_at", "enqueue_error"])
    data = {
        "job_id": job.pk,
        "status": job.status,
        "kind": job.kind,
        "products": products,
        "waiting_for_queue": job.waiting_for_queue,
    }
    return Response(JobStartedOutputSerializer(data).data, status=status.HTTP_202_ACCEPTED)


# --- Drafts ------------------------------------------------------------------------------------


class DraftListQuerySerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=QUEUES,
        required=False,
        help_text=gettext_lazy(
            "waiting (for approval), flagged (unsupported claims), approved, published, rejected."
        ),
    )
    status = serializers.ChoiceField(choices=DraftStatus.choices, required=False)
    product = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    kind = serializers.ChoiceField(choices=ContentKind.choices, required=False)
    language = serializers.ChoiceField(choices=ContentLanguage.choices, required=False)
    job = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    search = serializers.CharField(required=False, max_length=100)


class DraftListApi(MerchantScopedMixin, ApiView):
    """The merchant's drafts, most recently changed first (page-number pagination)."""

    queryset = ContentDraft.objects.none()
    serializer_class = DraftOutputSerializer
    filter_backends: list = []

    def get_merchant_queryset(self):
        query = DraftListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        drafts = drafts_list(
            merchant=self.merchant,
            queue=data.get("queue", ""),
            status=data.get("status", ""),
            product_id=data.get("product"),
            kind=data.get("kind", ""),
            language=data.get("language", ""),
            job_id=data.get("job"),
            search=data.get("search", ""),
        )
        return drafts.select_related(
            "created_by", "approved_by", "rejected_by", "published_by", "override_by"
        )

    @extend_schema(
        summary="List content drafts",
        tags=CONTENT,
        parameters=[DraftListQuerySerializer],
        responses=DraftOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DraftDetailApi(MerchantScopedMixin, ApiView):
    """One draft with its claims (character offsets), candidates, edit history and the
    published text it would replace."""

    queryset = ContentDraft.objects.none()
    serializer_class = DraftDetailOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "draft_id"

    def get_merchant_queryset(self):
        return _draft_queryset(self.merchant).prefetch_related("revisions__edited_by")

    @extend_schema(summary="Get a content draft", tags=CONTENT)
    def get(self, request, draft_id: int):
        return Response(self.get_serializer(self.get_object()).data)


class _DraftActionApi(MerchantScopedMixin, ApiView):
    queryset = ContentDraft.objects.none()
    serializer_class = DraftDetailOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "draft_id"

    def get_merchant_queryset(self):
        return _draft_queryset(self.merchant)

    def respond(self, draft) -> Response:
        draft = (
            self.get_merchant_queryset().prefetch_related("revisions__edited_by").get(pk=draft.pk)
        )
        return Response(
            DraftDetailOutputSerializer(draft, context=self.get_serializer_context()).data
        )


class DraftEditApi(_DraftActionApi):
    write_action = GENERATE_CONTENT

    @extend_schema(
        summary="Edit a draft's text",
        description="The text is checked against the product facts again; an approved draft "
        "goes back to waiting for approval and an override is dropped.",
        tags=CONTENT,
        request=DraftEditInputSerializer,
        responses={200: DraftDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, draft_id: int):
        draft = self.get_object()
        data = self.input_serializer(DraftEditInputSerializer).validated_data
        return self.respond(
            draft_edit(draft=draft, text=data["text"], note=data["note"], user=request.user)
        )


class DraftChooseApi(_DraftActionApi):
    write_action = GENERATE_CONTENT

    @extend_schema(
        summary="Use another candidate as the draft's text",
        tags=CONTENT,
        request=DraftChooseInputSerializer,
        responses={200: DraftDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, draft_id: int):
        draft = self.get_object()
        data = self.input_serializer(DraftChooseInputSerializer).validated_data
        return self.respond(
            draft_choose_candidate(draft=draft, index=data["index"], user=request.user)
        )


class DraftApproveApi(_DraftActionApi):
    write_action = APPROVE_CONTENT

    @extend_schema(
        summary="Approve a draft",
        description="Owners and managers. Refused (409 `unsupported_claims`) while the text "
        "has unsupported claims and no override.",
        tags=CONTENT,
        request=None,
        responses={200: DraftDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, draft_id: int):
        return self.respond(draft_approve(draft=self.get_object(), user=request.user))


class DraftRejectApi(_DraftActionApi):
    write_action = APPROVE_CONTENT

    @extend_schema(
        summary="Reject a draft",
        tags=CONTENT,
        request=ReasonInputSerializer,
        responses={200: DraftDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, draft_id: int):
        draft = self.get_object()
        data = self.input_serializer(ReasonInputSerializer).validated_data
        return self.respond(draft_reject(draft=draft, user=request.user, reason=data["reason"]))


class DraftOverrideApi(_DraftActionApi):
    write_action = APPROVE_CONTENT

    @extend_schema(
        summary="Override the grounding check of a draft",
        description="Owners and managers vouch for the unsupported claims with a reason, which "
        "is recorded; the draft can then be approved. An edit drops the override.",
        tags=CONTENT,
        request=OverrideInputSerializer,
        responses={200: DraftDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, draft_id: int):
        draft = self.get_object()
        data = self.input_serializer(OverrideInputSerializer).validated_data
        return self.respond(draft_override(draft=draft, user=request.user, reason=data["reason"]))


class DraftPublishApi(_DraftActionApi):
    write_action = PUBLISH_CONTENT

    @extend_schema(
        summary="Publish an approved draft",
        description="Makes the text the current version of (product, kind, language, channel). "
        "Titles and descriptions in the merchant's default language also write the product "
        "field; the first publish keeps the product's previous text as an `original` version. "
        "A review reply (kind `review_reply`) becomes the review's public reply instead and "
        "`version` is null.",
        tags=CONTENT,
        request=None,
        responses={200: PublishOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, draft_id: int):
        draft = self.get_object()
        version = draft_publish(draft=draft, user=request.user)
        draft = self.get_merchant_queryset().get(pk=draft.pk)
        context = self.get_serializer_context()
        return Response(
            {
                "draft": DraftOutputSerializer(draft, context=context).data,
                "version": (
                    VersionOutputSerializer(version, context=context).data if version else None
                ),
            }
        )


# --- Generation --------------------------------------------------------------------------------


class ProductGenerateApi(MerchantScopedMixin, ApiView):
    """Start writing candidates for one product; the job's progress is on the jobs API."""

    queryset = Product.objects.none()
    serializer_class = JobStartedOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"
    write_action = GENERATE_CONTENT

    def get_merchant_queryset(self):
        return Product.objects.for_merchant(self.merchant).select_related("merchant")

    @extend_schema(
        summary="Generate drafts for a product",
        description="Starts a background job (202 with its id). When it ends, the best "
        "candidate is a draft (`GET content/drafts/?job=<id>`).",
        tags=CONTENT,
        request=GenerationOptionsInputSerializer,
        responses={202: JobStartedOutputSerializer},
    )
    def post(self, request, product_id: int):
        product = self.get_object()
        data = self.input_serializer(GenerationOptionsInputSerializer).validated_data
        job = draft_generate_start(
            merchant=self.merchant,
            product=product,
            kind=data["kind"],
            language=data["language"],
            channel=data["channel"],
            candidates=data["candidates"],
            user=request.user,
        )
        return _job_started(job, 1)


class BulkGenerateApi(MerchantScopedMixin, ApiView):
    """Start ONE job writing a draft for each selected product (ids, or a filter)."""

    queryset = Product.objects.none()
    serializer_class = JobStartedOutputSerializer
    filter_backends: list = []
    write_action = GENERATE_CONTENT

    def get_merchant_queryset(self):
        return Product.objects.for_merchant(self.merchant)

    @extend_schema(
        summary="Generate drafts for many products",
        description="Send `product_ids` (at most CONTENT_BULK_MAX_PRODUCTS) or a `filter` "
        "(search, category, status, empty_description). Unknown ids and a filter matching too "
        "many products are a 400. Failures of single products do not stop the job; they are "
        "listed in the job's result.",
        tags=CONTENT,
        request=BulkGenerateInputSerializer,
        responses={202: JobStartedOutputSerializer},
    )
    def post(self, request):
        data = self.input_serializer(BulkGenerateInputSerializer).validated_data
        if "filter" in data:
            product_ids = list(
                content_bulk_products(merchant=self.merchant, **data["filter"]).values_list(
                    "pk", flat=True
                )
            )
            if not product_ids:
                raise ApiError("no_products", _("No product matches the filter."))
        else:
            product_ids = data["product_ids"]
        job = drafts_generate_bulk_start(
            merchant=self.merchant,
            product_ids=product_ids,
            kind=data["kind"],
            language=data["language"],
            channel=data["channel"],
            candidates=data["candidates"],
            user=request.user,
        )
        return _job_started(job, len(set(product_ids)))


# --- Versions ----------------------------------------------------------------------------------


class VersionListQuerySerializer(serializers.Serializer):
    product = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    kind = serializers.ChoiceField(choices=ContentKind.choices, required=False)
    language = serializers.ChoiceField(choices=ContentLanguage.choices, required=False)
    channel = serializers.CharField(required=False, allow_blank=True, max_length=40)
    current = serializers.BooleanField(required=False, allow_null=True, default=None)


class VersionListApi(MerchantScopedMixin, ApiView):
    """Published versions, newest first: the history behind every published text."""

    queryset = ContentVersion.objects.none()
    serializer_class = VersionOutputSerializer
    filter_backends: list = []

    def get_merchant_queryset(self):
        query = VersionListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return versions_list(
            merchant=self.merchant,
            product_id=data.get("product"),
            kind=data.get("kind", ""),
            language=data.get("language", ""),
            channel=data.get("channel"),
            current=data.get("current"),
        )

    @extend_schema(
        summary="List published versions",
        tags=CONTENT,
        parameters=[VersionListQuerySerializer],
        responses=VersionOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class _VersionApi(MerchantScopedMixin, ApiView):
    queryset = ContentVersion.objects.none()
    serializer_class = VersionOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "version_id"

    def get_merchant_queryset(self):
        return ContentVersion.objects.for_merchant(self.merchant).select_related(
            "product", "published_by"
        )


class VersionDetailApi(_VersionApi):
    @extend_schema(summary="Get a published version", tags=CONTENT)
    def get(self, request, version_id: int):
        return Response(self.get_serializer(self.get_object()).data)


class VersionRestoreApi(_VersionApi):
    write_action = PUBLISH_CONTENT

    @extend_schema(
        summary="Restore a published version",
        description="Publishes the version's text again as a new current version (history is "
        "append-only) and writes the product field where the kind has one. 409 "
        "`already_current` when it is the current text.",
        tags=CONTENT,
        request=None,
        responses={201: VersionOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, version_id: int):
        version = version_restore(version=self.get_object(), user=request.user)
        return Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)
