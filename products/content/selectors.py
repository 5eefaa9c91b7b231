"""Reads of the content studio. Every function takes the merchant (or its product) explicitly."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Product
from .kinds import ContentKind
from .models import ContentDraft, ContentVersion, DraftStatus

# The operators' queue: what each tab of the content overview (and `queue=` in the API) shows.
QUEUES = ("waiting", "flagged", "approved", "published", "rejected")

# Kinds whose published text also lives on the product row.
PRODUCT_FIELD_OF_KIND = {ContentKind.DESCRIPTION: "description", ContentKind.TITLE: "title"}


def drafts_list(
    *,
    merchant,
    queue: str = "",
    status: str = "",
    product_id: int | None = None,
    kind: str = "",
    language: str = "",
    job_id: int | None = None,
    search: str = "",
) -> QuerySet[ContentDraft]:
    """The merchant's drafts, newest change first, narrowed by queue and filters.

    Queues: `waiting` (draft, nothing blocks approval), `flagged` (draft or approved with
    unsupported claims and no override), `approved` (ready to publish), `published`, `rejected`.
    """
    drafts = ContentDraft.objects.for_merchant(merchant).select_related("product")
    if queue == "waiting":
        drafts = drafts.filter(status=DraftStatus.DRAFT).unblocked()
    elif queue == "flagged":
        drafts = drafts.filter(status__in=(DraftStatus.DRAFT, DraftStatus.APPROVED)).blocked()
    elif queue in ("approved", "published", "rejected"):
        drafts = drafts.filter(status=queue)
    if status:
        drafts = drafts.filter(status=status)
    if product_id:
        drafts = drafts.filter(product_id=product_id)
    if kind:
        drafts = drafts.filter(kind=kind)
    if language:
        drafts = drafts.filter(language=language)
    if job_id:
        drafts = drafts.filter(job_id=job_id)
    search = search.strip()
    if search:
        drafts = drafts.filter(
            Q(product__sku__icontains=search) | Q(product__title__icontains=search)
        )
    return drafts.order_by("-updated_at", "-pk")


def draft_queue_counts(*, merchant) -> dict[str, int]:
    """How many drafts each queue holds (the overview's tab badges)."""
    drafts = ContentDraft.objects.for_merchant(merchant)
    return {
        "waiting": drafts.filter(status=DraftStatus.DRAFT).unblocked().count(),
        "flagged": drafts.filter(status__in=(DraftStatus.DRAFT, DraftStatus.APPROVED))
        .blocked()
        .count(),
        "approved": drafts.filter(status=DraftStatus.APPROVED).count(),
    }


def draft_get(*, merchant, draft_id: int) -> ContentDraft:
    """The merchant's draft; another merchant's id is a 404."""
    return get_object_or_404(
        ContentDraft.objects.for_merchant(merchant).select_related(
            "product",
            "merchant",
            "job",
            "created_by",
            "approved_by",
            "rejected_by",
            "published_by",
            "override_by",
        ),
        pk=draft_id,
    )


def draft_revisions(*, draft: ContentDraft):
    return draft.revisions.select_related("edited_by").order_by("-at", "-pk")


def versions_list(
    *,
    merchant,
    product_id: int | None = None,
    kind: str = "",
    language: str = "",
    channel: str | None = None,
    current: bool | None = None,
) -> QuerySet[ContentVersion]:
    versions = ContentVersion.objects.for_merchant(merchant).select_related(
        "product", "published_by"
    )
    if product_id:
        versions = versions.filter(product_id=product_id)
    if kind:
        versions = versions.filter(kind=kind)
    if language:
        versions = versions.filter(language=language)
    if channel is not None:
        versions = versions.filter(channel=channel)
    if current is not None:
        versions = versions.filter(is_current=current)
    return versions.order_by("-created_at", "-pk")


def version_get(*, merchant, version_id: int) -> ContentVersion:
    return get_object_or_404(
        ContentVersion.objects.for_merchant(merchant).select_related("product", "merchant"),
        pk=version_id,
    )


def writes_product_field(*, product: Product, kind: str, language: str) -> str | None:
    """The product field publishing writes, or None when the text lives only in versions.

    Titles and descriptions in the merchant's default language are the product's own fields;
    other languages and the other kinds are kept as the current `ContentVersion`.
    """
    field = PRODUCT_FIELD_OF_KIND.get(kind)
    if field and language == product.merchant.default_language:
        return field
    return None


def current_text(*, product: Product, kind: str, language: str, channel: str = "") -> str:
    """The text a shopper sees now: the product field, else the current published version."""
    field = writes_product_field(product=product, kind=kind, language=language)
    if field:
        return getattr(product, field) or ""
    version = (
        ContentVersion.objects.of(product=product, kind=kind, language=language, channel=channel)
        .filter(is_current=True)
        .only("text")
        .first()
    )
    return version.text if version else ""


def style_examples(
    *, product: Product, kind: str, language: str, channel: str = "", limit: int | None = None
) -> list[str]:
    """The store's voice: up to `limit` approved or published texts of the same kind, language
    and category of other products of the merchant, most recent first (published first)."""
    limit = settings.CONTENT_STYLE_EXAMPLES if limit is None else limit
    if limit <= 0:
        return []
    texts = (
        ContentDraft.objects.filter(
            merchant_id=product.merchant_id,
            product__category=product.category,
            kind=kind,
            language=language,
            channel=channel,
            status__in=(DraftStatus.APPROVED, DraftStatus.PUBLISHED),
        )
        .exclude(product_id=product.pk)
        .order_by(
            F("published_at").desc(nulls_last=True),
            F("approved_at").desc(nulls_last=True),
            "-pk",
        )
        .values_list("text", flat=True)
    )
    examples: list[str] = []
    for text in texts[: limit * 3]:
        if text and text not in examples:
            examples.append(text)
        if len(examples) == limit:
            break
    return examples


def content_bulk_products(
    *,
    merchant,
    search: str = "",
    category: str = "",
    status: str = "",
    empty_description: bool = False,
) -> QuerySet[Product]:
    """The products a bulk generation would cover, in SKU order."""
    products = Product.objects.for_merchant(merchant)
    search = search.strip()
    if search:
        products = products.filter(
            Q(sku__icontains=search) | Q(title__icontains=search) | Q(brand__icontains=search)
        )
    if category:
        products = products.filter(category=category)
    if status:
        products = products.filter(status=status)
    if empty_description:
        products = products.filter(description="")
    return products.order_by("sku", "pk")
