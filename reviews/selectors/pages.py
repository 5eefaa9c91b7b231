"""Reads of the review pages that the insights selectors do not cover: the inbox's extra
filters (SKU, reply status), topic look-ups and choices, per-language counts, the sentiment
model status per language, the running analysis job and a product's review snapshot.

Every function takes the merchant explicitly; another merchant's object is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.selectors import merchant_day_start
from jobs.models import Job, JobKind

from ..analysis.pipeline import DEFAULT_MODEL
from ..models import (
    ComplaintTopic,
    Review,
    ReviewAnalysis,
    ReviewLanguage,
    Sentiment,
    SentimentModel,
    SentimentModelStatus,
)
from .insights import complaint_topics, expected_sentiment_models, review_inbox

# Relative change of a topic's last four weeks against the four before (see
# reviews.analysis.topics.trend_build) below which it counts as steady.
TOPIC_TREND_STEADY = 0.1
# Change in negative share (0.05 = 5 points) below which a product counts as steady.
SHARE_TREND_STEADY = 0.02
RISING, FALLING, STEADY = "rising", "falling", "steady"
MODEL_LANGUAGES = (ReviewLanguage.ENGLISH, ReviewLanguage.CHINESE)


# --- The inbox ----------------------------------------------------------------------------------


def review_inbox_page(
    *, merchant, sku: str = "", replied: bool | None = None, **filters
) -> QuerySet[Review]:
    """The inbox's rows: `review_inbox` (all its filters) plus a SKU substring and the reply
    status (`replied` True: answered, False: not answered yet)."""
    reviews = review_inbox(merchant=merchant, **filters)
    sku = (sku or "").strip()
    if sku:
        reviews = reviews.filter(product__sku__icontains=sku)
    if replied is True:
        reviews = reviews.filter(replied_at__isnull=False)
    elif replied is False:
        reviews = reviews.filter(replied_at__isnull=True)
    return reviews


def inbox_topic_choices(*, merchant, product=None, include=None, limit: int = 100) -> list:
    """Topics the inbox offers as a filter: the product's (all), else the merchant's largest
    `limit`; `include` (an id) is added when it is one of the merchant's topics."""
    topics = list(complaint_topics(merchant=merchant, product=product)[:limit])
    if include is not None and all(topic.pk != include for topic in topics):
        extra = ComplaintTopic.objects.filter(merchant=merchant, pk=include).select_related(
            "product"
        )
        topics.extend(extra)
    return topics


def topic_get(*, merchant, topic_id: int) -> ComplaintTopic:
    """One of the merchant's complaint topics; another merchant's id is a 404."""
    return get_object_or_404(
        ComplaintTopic.objects.filter(merchant=merchant).select_related("product"), pk=topic_id
    )


def trend_direction(change: float | None, *, steady: float) -> str:
    """rising / falling / steady for a change, steady within +-`steady` (and for None)."""
    if change is None or abs(change) < steady:
        return STEADY
    return RISING if change > 0 else FALLING


def topic_trend(topic: ComplaintTopic) -> dict:
    """A topic's stored weekly counts in plain form: weeks (dates), counts, change, direction,
    and the counts of the last four weeks and the four before."""
    trend = topic.trend if isinstance(topic.trend, dict) else {}
    counts = [int(count) for count in trend.get("counts") or []]
    weeks = []
    for value in trend.get("weeks") or []:
        try:
            weeks.append(dt.date.fromisoformat(str(value)))
        except ValueError:
            weeks.append(None)
    if len(weeks) != len(counts):
        weeks = [None] * len(counts)
    change = trend.get("change")
    change = float(change) if isinstance(change, int | float) else None
    window = min(4, len(counts) // 2)
    return {
        "weeks": weeks,
        "counts": counts,
        "change": change,
        "direction": trend_direction(change, steady=TOPIC_TREND_STEADY),
        "last": sum(counts[-window:]) if window else sum(counts),
        "previous": sum(counts[-2 * window : -window]) if window else 0,
    }


# --- Languages and models -----------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageCount:
    language: str  # en / zh / other / "" (not known yet)
    reviews: int
    analysed: int
    negative: int

    @property
    def label(self) -> str:
        if self.language in ReviewLanguage.values:
            return str(ReviewLanguage(self.language).label)
        return ""

    @property
    def negative_share(self) -> float | None:
        return round(self.negative / self.analysed, 4) if self.analysed else None


def review_language_counts(*, merchant, since: dt.date | None = None) -> list[LanguageCount]:
    """The merchant's reviews per language (the review's own, else the analysed one), with
    how many are analysed and negative; written on or after the local day `since` when given.
    One query; largest language first."""
    reviews = Review.objects.filter(merchant=merchant)
    if since is not None:
        reviews = reviews.filter(created_at__gte=merchant_day_start(merchant=merchant, day=since))
    rows = (
        reviews.values("language", "analysis__language")
        .annotate(
            count=Count("pk"),
            analysed=Count("analysis"),
            negative=Count("pk", filter=Q(analysis__sentiment=Sentiment.NEGATIVE)),
        )
        .order_by()
    )
    totals: dict[str, list[int]] = {}
    for row in rows:
        language = row["language"] or row["analysis__language"] or ""
        bucket = totals.setdefault(language, [0, 0, 0])
        bucket[0] += row["count"]
        bucket[1] += row["analysed"]
        bucket[2] += row["negative"]
    counts = [
        LanguageCount(language=language, reviews=r, analysed=a, negative=n)
        for language, (r, a, n) in totals.items()
    ]
    return sorted(counts, key=lambda item: (-item.reviews, item.language))


@dataclass(frozen=True)
class ModelStatus:
    """Which sentiment model scores one language's reviews, and why.

    `active` is the merchant's model in use (None: the shipped default); `latest` the newest
    merchant model of the language when it is not the active one (training, rejected because
    it did not beat the default, failed)."""

    language: str
    in_use: str  # "default", "merchant:<pk>" or "rating"
    active: SentimentModel | None
    latest: SentimentModel | None
    analysed: int

    @property
    def label(self) -> str:
        return str(ReviewLanguage(self.language).label)

    @property
    def uses_merchant_model(self) -> bool:
        return self.active is not None


def sentiment_model_status(*, merchant) -> list[ModelStatus]:
    """For English and Chinese: the model in use, the merchant's active and newest models (with
    their held-out scores and the default's on the same reviews) and how many current analyses
    each language has. Three queries."""
    in_use = expected_sentiment_models(merchant=merchant)
    models = list(
        SentimentModel.objects.filter(merchant=merchant, language__in=MODEL_LANGUAGES)
        .defer("artifact")
        .order_by("-created_at", "-pk")
    )
    analysed = dict(
        ReviewAnalysis.objects.filter(merchant=merchant, language__in=MODEL_LANGUAGES)
        .values_list("language")
        .annotate(count=Count("pk"))
        .order_by()
    )
    status = []
    for language in MODEL_LANGUAGES:
        mine = [model for model in models if model.language == language]
        active = next((m for m in mine if m.status == SentimentModelStatus.ACTIVE), None)
        latest = mine[0] if mine and mine[0] is not active else None
        status.append(
            ModelStatus(
                language=str(language),
                in_use=in_use.get(language, DEFAULT_MODEL),
                active=active,
                latest=latest,
                analysed=analysed.get(language, 0),
            )
        )
    return status


# --- Jobs and the product page ------------------------------------------------------------------


def analysis_job_active(*, merchant) -> Job | None:
    """The merchant's newest review analysis job that is queued or running, if any."""
    return (
        Job.objects.for_merchant(merchant)
        .active()
        .filter(kind=JobKind.REVIEW_BACKFILL)
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ReviewSnapshot:
    """A product's reviews in three numbers, for its page."""

    reviews: int
    analysed: int
    negative: int
    topics: int

    @property
    def negative_share(self) -> float | None:
        return round(self.negative / self.analysed, 4) if self.analysed else None


def product_review_snapshot(*, merchant, product) -> ReviewSnapshot:
    """How many reviews the product has, how many are analysed and negative, and how many
    complaint topics it has (three queries)."""
    reviews = Review.objects.filter(merchant=merchant, product=product).count()
    row = ReviewAnalysis.objects.filter(merchant=merchant, product=product).aggregate(
        analysed=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE))
    )
    topics = ComplaintTopic.objects.filter(merchant=merchant, product=product).count()
    return ReviewSnapshot(
        reviews=reviews, analysed=row["analysed"], negative=row["negative"], topics=topics
    )
