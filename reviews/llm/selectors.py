"""Reads of the review language-model features. Every function takes the merchant explicitly
(or an object already fetched for it); another merchant's id is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from products.content.kinds import ContentKind
from products.content.models import ContentDraft, DraftStatus

from ..models import Aspect, AspectMention, Review, ReviewAnalysis, ReviewSummary, Sentiment

OPEN_STATUSES = (DraftStatus.DRAFT, DraftStatus.APPROVED)


def review_get(*, merchant, review_id: int) -> Review:
    return get_object_or_404(
        Review.objects.filter(merchant=merchant).select_related("product", "replied_by"),
        pk=review_id,
    )


def review_analysis(*, review: Review) -> ReviewAnalysis | None:
    return (
        ReviewAnalysis.objects.filter(review=review, merchant_id=review.merchant_id)
        .select_related("topic")
        .first()
    )


def analysed_text(review: Review) -> str:
    """The text aspect spans point into (reviews.analysis.pipeline.review_text's convention):
    title + "\n" + body, or the body alone when there is no title."""
    return f"{review.title}\n{review.body}" if review.title else review.body


@dataclass(frozen=True)
class SpanSegment:
    text: str
    aspect: str = ""  # "" for plain text
    aspect_label: str = ""
    polarity: str = ""


def aspect_segments(*, review: Review, mentions: list[AspectMention]) -> list[SpanSegment]:
    """The review's text cut at its aspect spans (for highlighting; escaped by the template).

    A span whose offsets no longer match the text (the review was edited) is looked up by its
    words; one that cannot be found, or overlaps an earlier one, is not highlighted.
    """
    text = analysed_text(review)
    spans = []
    for mention in mentions:
        start, end = mention.span_start, mention.span_end
        if text[start:end] != mention.span_text:
            found = text.find(mention.span_text) if mention.span_text else -1
            if found < 0:
                continue
            start, end = found, found + len(mention.span_text)
        if start < end:
            spans.append((start, end, mention))
    segments: list[SpanSegment] = []
    position = 0
    for start, end, mention in sorted(spans, key=lambda item: (item[0], item[1])):
        if start < position:
            continue
        if start > position:
            segments.append(SpanSegment(text[position:start]))
        segments.append(
            SpanSegment(
                text[start:end], mention.aspect, mention.get_aspect_display(), mention.polarity
            )
        )
        position = end
    if position < len(text):
        segments.append(SpanSegment(text[position:]))
    # The title line is shown as the heading: drop it from the body segments.
    if review.title and segments and text.startswith(review.title + "\n"):
        return _drop_prefix(segments, len(review.title) + 1)
    return segments


def _drop_prefix(segments: list[SpanSegment], length: int) -> list[SpanSegment]:
    result = []
    for segment in segments:
        if length <= 0:
            result.append(segment)
        elif len(segment.text) <= length:
            length -= len(segment.text)
        else:
            result.append(
                SpanSegment(
                    segment.text[length:], segment.aspect, segment.aspect_label, segment.polarity
                )
            )
            length = 0
    return result


def review_complaints(*, review: Review) -> list[tuple[str, str]] | None:
    """The customer's complaints as (aspect, span): the analysis' negative aspect mentions.

    None when the review is unanalysed, or negative with no aspect found, so the reply checker
    falls back to the aspect keywords of the text; [] when it has nothing to complain about.
    """
    analysis = review_analysis(review=review)
    if analysis is None:
        return None
    mentions = list(
        AspectMention.objects.filter(
            analysis=analysis, merchant_id=review.merchant_id, polarity=Sentiment.NEGATIVE
        ).order_by("span_start")
    )
    if mentions:
        return list(dict.fromkeys((m.aspect, m.span_text) for m in mentions))
    if analysis.sentiment == Sentiment.NEGATIVE or (review.rating or 5) <= 2:
        return None
    return []


def reply_drafts(*, merchant, review: Review) -> QuerySet[ContentDraft]:
    """The review's reply drafts, newest first."""
    return (
        ContentDraft.objects.for_merchant(merchant)
        .filter(kind=ContentKind.REVIEW_REPLY, review=review)
        .select_related(
            "product", "created_by", "approved_by", "rejected_by", "published_by", "override_by"
        )
        .order_by("-created_at", "-pk")
    )


def reply_draft_current(*, merchant, review: Review) -> ContentDraft | None:
    """The draft the reply panel works on: the newest open one, else the newest of all."""
    drafts = reply_drafts(merchant=merchant, review=review)
    return drafts.filter(status__in=OPEN_STATUSES).first() or drafts.first()


def reply_template_last(*, merchant) -> str:
    """The reply template the merchant used last (prefills the next generation)."""
    return (
        ContentDraft.objects.for_merchant(merchant)
        .filter(kind=ContentKind.REVIEW_REPLY)
        .exclude(reply_template="")
        .order_by("-created_at", "-pk")
        .values_list("reply_template", flat=True)
        .first()
        or ""
    )


# --- summaries -----------------------------------------------------------------------------------
def summary_latest(
    *, merchant, product, aspect: str = "", language: str = ""
) -> ReviewSummary | None:
    """The newest summary of a product (overall when `aspect` is ""), in `language` if given."""
    summaries = ReviewSummary.objects.filter(merchant=merchant, product=product, aspect=aspect)
    if language:
        summaries = summaries.filter(language=language)
    return summaries.select_related("job").order_by("-created_at", "-pk").first()


def summaries_list(*, merchant, product) -> QuerySet[ReviewSummary]:
    return ReviewSummary.objects.filter(merchant=merchant, product=product).order_by(
        "-created_at", "-pk"
    )


def aspect_summaries_latest(*, merchant, product, language: str = "") -> list[ReviewSummary]:
    """The newest summary of each aspect of a product (aspects in taxonomy order)."""
    latest: dict[str, ReviewSummary] = {}
    summaries = summaries_list(merchant=merchant, product=product).exclude(aspect="")
    if language:
        summaries = summaries.filter(language=language)
    for summary in summaries[:200]:
        latest.setdefault(summary.aspect, summary)
    order = {value: index for index, value in enumerate(Aspect.values)}
    return sorted(latest.values(), key=lambda s: order.get(s.aspect, 99))


def summary_method(summary: ReviewSummary | None) -> str:
    """ "model" (checked model statements), "extractive" (quoted from reviews) or "empty"."""
    if summary is None or not summary.statements:
        return "empty"
    methods = {statement.get("method", "model") for statement in summary.statements}
    return "extractive" if methods == {"extractive"} else "model"


def summary_statements(*, summary: ReviewSummary) -> list[dict]:
    """The statements with their citations as links: [{text, polarity, method, citations:
    [{id, number, url, exists}]}]. A cited review deleted since is shown without a link."""
    ids = {int(i) for s in summary.statements for i in s.get("review_ids", []) if str(i).isdigit()}
    existing = set(
        Review.objects.filter(merchant_id=summary.merchant_id, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for statement in summary.statements:
        citations = []
        for review_id in statement.get("review_ids", []):
            try:
                review_id = int(review_id)
            except (TypeError, ValueError):
                continue
            exists = review_id in existing
            citations.append(
                {
                    "id": review_id,
                    "url": reverse("review-detail", kwargs={"review_id": review_id})
                    if exists
                    else "",
                    "exists": exists,
                }
            )
        rows.append(
            {
                "text": str(statement.get("text", "")),
                "polarity": str(statement.get("polarity", "neutral")),
                "method": str(statement.get("method", "model")),
                "citations": citations,
            }
        )
    return rows
