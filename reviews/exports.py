"""CSV and Excel export of the review analyses: the review inbox's rows (its filters, newest
first), every row, each with what the analyser read in it. Streamed by `core.exports`.

One row per review: id, product, when it was written (the merchant's time zone), rating,
language, sentiment and its score (the probability that the review is positive, 0-1), the
aspects it mentions with their polarity and the words that carry them, its complaint topic,
title and text. Reviews not analysed yet have empty analysis columns.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.exports import (
    DATETIME,
    INT,
    NUMBER,
    TEXT,
    Column,
    export_response,
    merchant_tz,
    queryset_rows,
    time_zone_header,
)

from .models import Review

REVIEW_STEM = "review-analyses"
# Reviews per query; their aspect mentions come in one more query per chunk.
REVIEWS_PER_QUERY = 1000


def _analysis(review: Review):
    try:
        return review.analysis
    except Review.analysis.RelatedObjectDoesNotExist:
        return None


def _sentiment(review: Review) -> str:
    analysis = _analysis(review)
    return str(analysis.get_sentiment_display()) if analysis else ""


def _score(review: Review) -> float | None:
    analysis = _analysis(review)
    return analysis.sentiment_score if analysis else None


def _aspects(review: Review) -> str:
    """ "quality / defects: negative (“leaks after a week”); shipping / delivery: positive"."""
    analysis = _analysis(review)
    if analysis is None:
        return ""
    parts = []
    for mention in analysis.aspects.all():
        text = _("%(aspect)s: %(polarity)s") % {
            "aspect": mention.get_aspect_display(),
            "polarity": mention.get_polarity_display(),
        }
        if mention.span_text:
            text = f"{text} (“{mention.span_text}”)"
        parts.append(text)
    return "; ".join(parts)


def _topic(review: Review) -> str:
    analysis = _analysis(review)
    return analysis.topic.label if analysis and analysis.topic_id else ""


def _language(review: Review) -> str:
    return str(review.get_language_display()) if review.language else ""


def review_columns(*, tz_name: str) -> list[Column]:
    return [
        Column(_("Review ID"), INT, lambda r: r.pk, 10),
        Column(_("SKU"), TEXT, lambda r: r.product.sku, 18),
        Column(_("Product"), TEXT, lambda r: r.product.title, 30),
        Column(time_zone_header(_("Written"), tz_name), DATETIME, lambda r: r.created_at, 20),
        Column(_("Rating"), INT, lambda r: r.rating, 8),
        Column(_("Language"), TEXT, _language, 10),
        Column(_("Sentiment"), TEXT, _sentiment, 10),
        Column(_("Sentiment score (0–1, positive)"), NUMBER, _score, 12, decimals=3),
        Column(_("Aspects"), TEXT, _aspects, 50),
        Column(_("Complaint topic"), TEXT, _topic, 30),
        Column(_("Source"), TEXT, lambda r: r.source, 10),
        Column(_("Title"), TEXT, lambda r: r.title, 30),
        Column(_("Text"), TEXT, lambda r: r.body, 80),
    ]


def review_export(reviews, *, merchant, export_format: str):
    """`reviews` (`review_inbox_page(...)`, analysis and aspects loaded) as CSV or XLSX."""
    return export_response(
        export_format,
        queryset_rows(reviews, chunk_size=REVIEWS_PER_QUERY),
        columns=review_columns(tz_name=merchant.timezone),
        merchant=merchant,
        stem=REVIEW_STEM,
        title=_("Review analyses"),
        freeze="C2",
        tz=merchant_tz(merchant),
    )
