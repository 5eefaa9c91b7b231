"""Reads of review intelligence: the inbox, product and merchant insights, topics, models.

Every function takes the merchant explicitly and never returns another merchant's rows.
Dates are the merchant's local dates (its time zone); weeks start on Monday.

- `review_inbox(merchant=..., **filters)`: the review list of the inbox page and the API, with
  each review's analysis, topic and aspect mentions loaded in a fixed number of queries.
- `product_insights(merchant=..., product=...)`: a `ProductInsights` (weekly sentiment trend,
  aspect breakdown with polarity, top complaint topics with example reviews, rating
  distribution, totals).
- `merchant_insights(merchant=...)`: a `MerchantInsights` (worst products by negative share,
  with the previous period and a weekly trend; merchant-wide trend, aspects and topics).
- `reviews_needing_analysis(merchant=...)`: the incremental rule of the analysis pipeline.

Full-text search is a case-insensitive substring match (`icontains`) over title and body: it
works the same on SQLite and PostgreSQL and for Chinese (no word boundaries needed); on
SQLite, case folding covers ASCII letters only.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from core.selectors import merchant_day_start, merchant_today

from ..analysis.pipeline import ANALYSER_VERSION, DEFAULT_MODEL, RATING_MODEL
from ..models import (
    Aspect,
    AspectMention,
    ComplaintTopic,
    Review,
    ReviewAnalysis,
    Sentiment,
    SentimentModel,
    SentimentModelStatus,
)

SENTIMENTS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)
DEFAULT_TREND_WEEKS = 12
EXAMPLES_PER_TOPIC = 3


# --- The analysis pipeline's rule ---------------------------------------------------------------


def expected_sentiment_models(*, merchant) -> dict[str, str]:
    """language -> the model key a current analysis carries: "merchant:<pk>" for a language
    with an active merchant model, "default" otherwise, "rating" for other languages."""
    expected = {"en": DEFAULT_MODEL, "zh": DEFAULT_MODEL, "other": RATING_MODEL}
    active = SentimentModel.objects.filter(
        merchant=merchant, status=SentimentModelStatus.ACTIVE
    ).values_list("language", "pk")
    for language, model_id in active:
        if language in expected and language != "other":
            expected[language] = f"merchant:{model_id}"
    return expected


def reviews_needing_analysis(*, merchant, language: str = "") -> QuerySet[Review]:
    """Reviews without an analysis, or whose analysis is outdated: another analyser version
    (or marked stale), or another sentiment model than their language's current one.

    With `language`, only reviews of that language (the analysis's language, or the review's
    own while it has none)."""
    expected = expected_sentiment_models(merchant=merchant)
    outdated = Q(analysis__isnull=True) | ~Q(analysis__analyser_version=ANALYSER_VERSION)
    for lang, model_key in expected.items():
        outdated |= Q(analysis__language=lang) & ~Q(analysis__sentiment_model=model_key)
    reviews = Review.objects.filter(merchant=merchant).filter(outdated)
    if language:
        reviews = reviews.filter(
            Q(analysis__language=language) | Q(analysis__isnull=True, language=language)
        )
    return reviews


@dataclass(frozen=True)
class AnalysisCoverage:
    reviews: int
    analysed: int
    pending: int
    models: dict[str, str]  # language -> model key in use


def analysis_coverage(*, merchant) -> AnalysisCoverage:
    """How many of the merchant's reviews have a current analysis (three queries)."""
    total = Review.objects.filter(merchant=merchant).count()
    pending = reviews_needing_analysis(merchant=merchant).count()
    return AnalysisCoverage(
        reviews=total,
        analysed=total - pending,
        pending=pending,
        models=expected_sentiment_models(merchant=merchant),
    )


# --- The inbox ----------------------------------------------------------------------------------


def with_analysis(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Load each review's product, analysis, topic and aspect mentions: three queries for any
    number of rows (reviews + joins, aspect mentions)."""
    return reviews.select_related("product", "analysis", "analysis__topic").prefetch_related(
        Prefetch("analysis__aspects", queryset=AspectMention.objects.order_by("span_start", "pk"))
    )


def _instant(merchant, value, *, end: bool) -> dt.datetime | None:
    """A date (the merchant's local day, inclusive) or a datetime as an aware instant."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if end else value
    return merchant_day_start(merchant=merchant, day=day)


def reviews_filter(
    reviews: QuerySet[Review],
    *,
    merchant,
    product=None,
    rating: int | None = None,
    rating_min: int | None = None,
    rating_max: int | None = None,
    sentiment: str = "",
    aspect: str = "",
    polarity: str = "",
    topic=None,
    language: str = "",
    source: str = "",
    date_from: dt.date | dt.datetime | None = None,
    date_to: dt.date | dt.datetime | None = None,
    search: str = "",
    analysed: bool | None = None,
) -> QuerySet[Review]:
    """Apply the inbox filters to a queryset of the merchant's reviews.

    `product`, `topic`: an instance or an id. `rating` exact; `rating_min`/`rating_max`
    inclusive. `sentiment`: positive / neutral / negative (the analysis's). `aspect`: reviews
    with a mention of that aspect, of `polarity` when given (`polarity` alone: any aspect of
    that polarity). `language`: the review's (en / zh / other). `date_from`/`date_to`: written
    on or after / on or before; a date is the merchant's local day (inclusive), a datetime an
    instant. `search`: substring of title or body, any case. `analysed`: True for reviews
    with an analysis, False for those still waiting.
    """
    reviews = reviews.filter(merchant=merchant)
    if product is not None:
        reviews = reviews.filter(product_id=getattr(product, "pk", product))
    if rating is not None:
        reviews = reviews.filter(rating=rating)
    if rating_min is not None:
        reviews = reviews.filter(rating__gte=rating_min)
    if rating_max is not None:
        reviews = reviews.filter(rating__lte=rating_max)
    if sentiment:
        reviews = reviews.filter(analysis__sentiment=sentiment)
    if aspect or polarity:
        mentions = AspectMention.objects.filter(merchant=merchant, analysis_id=OuterRef("pk"))
        if aspect:
            mentions = mentions.filter(aspect=aspect)
        if polarity:
            mentions = mentions.filter(polarity=polarity)
        reviews = reviews.filter(Exists(mentions))
    if topic is not None:
        reviews = reviews.filter(analysis__topic_id=getattr(topic, "pk", topic))
    if language:
        reviews = reviews.filter(language=language)
    if source:
        reviews = reviews.filter(source=source)
    start = _instant(merchant, date_from, end=False)
    if start is not None:
        reviews = reviews.filter(created_at__gte=start)
    end = _instant(merchant, date_to, end=True)
    if end is not None:
        if isinstance(date_to, dt.datetime):
            reviews = reviews.filter(created_at__lte=end)
        else:
            reviews = reviews.filter(created_at__lt=end)
    search = (search or "").strip()
    if search:
        reviews = reviews.filter(Q(title__icontains=search) | Q(body__icontains=search))
    if analysed is not None:
        reviews = reviews.filter(analysis__isnull=not analysed)
    return reviews


def review_inbox(*, merchant, **filters) -> QuerySet[Review]:
    """The merchant's reviews, newest first, filtered (see `reviews_filter` for the filters),
    with analysis, topic and aspects loaded (`with_analysis`)."""
    reviews = reviews_filter(Review.objects.all(), merchant=merchant, **filters)
    return with_analysis(reviews).order_by("-created_at", "-pk")


# --- Shared pieces of the insights ---------------------------------------------------------------


@dataclass(frozen=True)
class WeekSentiment:
    """One week (Monday `week` to Sunday) of reviews: counts by sentiment and ratings."""

    week: dt.date
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    pending: int = 0  # written that week, not analysed yet
    rated: int = 0
    rating_sum: int = 0

    @property
    def analysed(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def total(self) -> int:
        return self.analysed + self.pending

    @property
    def negative_share(self) -> float | None:
        """Negative reviews / analysed reviews of the week; None for a week without any."""
        return round(self.negative / self.analysed, 4) if self.analysed else None

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None


@dataclass(frozen=True)
class AspectBreakdown:
    """Mentions of one aspect by polarity (a review mentioning it twice counts twice)."""

    aspect: str
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def label(self) -> str:
        return str(Aspect(self.aspect).label)

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def negative_share(self) -> float | None:
        return round(self.negative / self.total, 4) if self.total else None


@dataclass(frozen=True)
class TopicInsight:
    topic: ComplaintTopic
    examples: list[Review]


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weeks(today: dt.date, weeks: int) -> list[dt.date]:
    """The Mondays of the last `weeks` weeks, oldest first, the current week last."""
    current = _week_start(today)
    return [current - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _weekly_sentiment(
    reviews: QuerySet[Review], *, merchant, today: dt.date, weeks: int
) -> list[WeekSentiment]:
    """Weekly counts by sentiment for `reviews` over the last `weeks` weeks (one query)."""
    mondays = _weeks(today, weeks)
    start = merchant_day_start(merchant=merchant, day=mondays[0])
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    rows = (
        reviews.filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "analysis__sentiment")
        .annotate(count=Count("pk"), rated=Count("rating"), rating_sum=Sum("rating"))
        .order_by()
    )
    buckets: dict[dt.date, dict[str, int]] = {monday: defaultdict(int) for monday in mondays}
    for row in rows:
        bucket = buckets.get(_week_start(row["day"]))
        if bucket is None:  # written after today (a clock ahead): not in the window
            continue
        bucket[row["analysis__sentiment"] or "pending"] += row["count"]
        bucket["rated"] += row["rated"]
        bucket["rating_sum"] += row["rating_sum"] or 0
    return [WeekSentiment(week=monday, **dict(buckets[monday])) for monday in mondays]


def _aspect_breakdown(mentions: QuerySet[AspectMention]) -> list[AspectBreakdown]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in mentions.values("aspect", "polarity").annotate(count=Count("pk")).order_by():
        counts[row["aspect"]][row["polarity"]] = row["count"]
    breakdown = [
        AspectBreakdown(aspect=aspect, **by_polarity)
        for aspect, by_polarity in counts.items()
        if aspect in Aspect.values
    ]
    return sorted(breakdown, key=lambda item: (-item.total, item.aspect))


def _topics_with_examples(topics: list[ComplaintTopic], *, merchant) -> list[TopicInsight]:
    """Each topic with up to EXAMPLES_PER_TOPIC example reviews (one query for all)."""
    wanted = {
        topic.pk: [int(i) for i in topic.example_review_ids[:EXAMPLES_PER_TOPIC]]
        for topic in topics
    }
    all_ids = {review_id for ids in wanted.values() for review_id in ids}
    found = {
        review.pk: review
        for review in Review.objects.filter(merchant=merchant, pk__in=all_ids).select_related(
            "product"
        )
    }
    return [
        TopicInsight(
            topic=topic,
            examples=[found[i] for i in wanted[topic.pk] if i in found],
        )
        for topic in topics
    ]


def _sentiment_counts(analyses: QuerySet[ReviewAnalysis]) -> dict[str, int]:
    counts = dict.fromkeys(SENTIMENTS, 0)
    for row in analyses.values("sentiment").annotate(count=Count("pk")).order_by():
        counts[row["sentiment"]] = row["count"]
    return {str(key): value for key, value in counts.items()}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- Product insights ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductInsights:
    """What the reviews of one product say.

    `since` (a local date, or None for all time) limits the totals, sentiment counts, rating
    distribution and aspect breakdown; `weeks` is the weekly trend, oldest week first, the
    current (partial) week last. `rating_distribution` maps 1..5 to counts ("unrated" apart).
    `topics` are the product's complaint topics, largest first, with example reviews.
    """

    product: object
    today: dt.date
    since: dt.date | None
    reviews: int
    analysed: int
    sentiment: dict[str, int]
    negative_share: float | None
    average_rating: float | None
    rating_distribution: dict[int, int]
    unrated: int
    weeks: list[WeekSentiment]
    aspects: list[AspectBreakdown]
    topics: list[TopicInsight]

    @property
    def pending(self) -> int:
        return self.reviews - self.analysed


def product_insights(
    *,
    merchant,
    product,
    weeks: int = DEFAULT_TREND_WEEKS,
    since: dt.date | None = None,
    today: dt.date | None = None,
    topics: int = 5,
) -> ProductInsights:
    """The insights of one of the merchant's products (about eight queries).

    `product` must be the merchant's (callers look it up scoped; another merchant's product
    gives empty insights, never its data)."""
    today = today or merchant_today(merchant=merchant)
    reviews = Review.objects.filter(merchant=merchant, product=product)
    analyses = ReviewAnalysis.objects.filter(merchant=merchant, product=product)
    mentions = AspectMention.objects.filter(merchant=merchant, product=product)
    if since is not None:
        start = merchant_day_start(merchant=merchant, day=since)
        reviews = reviews.filter(created_at__gte=start)
        analyses = analyses.filter(review__created_at__gte=start)
        mentions = mentions.filter(analysis__review__created_at__gte=start)

    distribution = dict.fromkeys(range(1, 6), 0)
    unrated = 0
    for row in reviews.values("rating").annotate(count=Count("pk")).order_by():
        if row["rating"] is None:
            unrated = row["count"]
        else:
            distribution[row["rating"]] = row["count"]
    total = sum(distribution.values()) + unrated
    rated = sum(distribution.values())
    average = (
        round(sum(stars * count for stars, count in distribution.items()) / rated, 2)
        if rated
        else None
    )
    sentiment = _sentiment_counts(analyses)
    analysed = sum(sentiment.values())
    top_topics = list(
        ComplaintTopic.objects.filter(merchant=merchant, product=product).order_by(
            "-size", "label", "pk"
        )[:topics]
    )
    return ProductInsights(
        product=product,
        today=today,
        since=since,
        reviews=total,
        analysed=analysed,
        sentiment=sentiment,
        negative_share=_share(sentiment[Sentiment.NEGATIVE], analysed),
        average_rating=average,
        rating_distribution=distribution,
        unrated=unrated,
        weeks=_weekly_sentiment(
            Review.objects.filter(merchant=merchant, product=product),
            merchant=merchant,
            today=today,
            weeks=weeks,
        ),
        aspects=_aspect_breakdown(mentions),
        topics=_topics_with_examples(top_topics, merchant=merchant),
    )


# --- Merchant insights --------------------------------------------------------------------------


@dataclass(frozen=True)
class NegativeShareChange:
    """Analysed and negative reviews in a period and in the period before (the shares are
    None for a period without analysed reviews)."""

    analysed: int
    negative: int
    previous_analysed: int
    previous_negative: int

    @property
    def negative_share(self) -> float | None:
        return _share(self.negative, self.analysed)

    @property
    def previous_share(self) -> float | None:
        return _share(self.previous_negative, self.previous_analysed)


@dataclass(frozen=True)
class ProductNegativeShare(NegativeShareChange):
    """One product's negative share in the period and in the period before.

    `change` is the difference in share (0.25 = 25 points worse); `trend` the weekly negative
    share over the trend weeks (None for a week without analysed reviews)."""

    product: object
    trend: list[float | None] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.negative_share is None or self.previous_share is None:
            return None
        return round(self.negative_share - self.previous_share, 4)


@dataclass(frozen=True)
class MerchantInsights:
    """The merchant's reviews at a glance.

    The period is the last `days` local days up to today; the previous period the same number
    of days before it. `worst_products` ranks products with at least `min_reviews` analysed
    reviews in the period by negative share (then by negative count). `weeks` is the
    merchant-wide weekly trend; `aspects` the aspect breakdown of the period; `topics` the
    largest complaint topics (product and category ones).
    """

    today: dt.date
    days: int
    period: tuple[dt.date, dt.date]
    previous_period: tuple[dt.date, dt.date]
    min_reviews: int
    reviews: int
    sentiment: dict[str, int]
    previous_sentiment: dict[str, int]
    weeks: list[WeekSentiment]
    worst_products: list[ProductNegativeShare]
    aspects: list[AspectBreakdown]
    topics: list[TopicInsight]

    @property
    def analysed(self) -> int:
        return sum(self.sentiment.values())

    @property
    def negative_share(self) -> float | None:
        return _share(self.sentiment[Sentiment.NEGATIVE], self.analysed)

    @property
    def previous_negative_share(self) -> float | None:
        return _share(
            self.previous_sentiment[Sentiment.NEGATIVE], sum(self.previous_sentiment.values())
        )


def _negative_by_product(analyses: QuerySet[ReviewAnalysis]) -> dict[int, tuple[int, int]]:
    rows = (
        analyses.values("product_id")
        .annotate(
            analysed=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE))
        )
        .order_by()
    )
    return {row["product_id"]: (row["analysed"], row["negative"]) for row in rows}


def merchant_insights(
    *,
    merchant,
    days: int = 90,
    weeks: int = DEFAULT_TREND_WEEKS,
    limit: int = 10,
    min_reviews: int = 3,
    topics: int = 5,
    today: dt.date | None = None,
) -> MerchantInsights:
    """The merchant-level insights (about ten queries, whatever the catalogue's size)."""
    from products.models import Product

    today = today or merchant_today(merchant=merchant)
    first = today - dt.timedelta(days=days - 1)
    previous_first = first - dt.timedelta(days=days)
    start = merchant_day_start(merchant=merchant, day=first)
    previous_start = merchant_day_start(merchant=merchant, day=previous_first)
    analyses = ReviewAnalysis.objects.filter(merchant=merchant)
    current = analyses.filter(review__created_at__gte=start)
    previous = analyses.filter(review__created_at__gte=previous_start, review__created_at__lt=start)

    by_product = _negative_by_product(current)
    before = _negative_by_product(previous)
    ranked = sorted(
        (
            (product_id, analysed, negative)
            for product_id, (analysed, negative) in by_product.items()
            if analysed >= min_reviews
        ),
        key=lambda item: (-item[2] / item[1], -item[2], item[0]),
    )[:limit]
    worst_ids = [product_id for product_id, _a, _n in ranked]
    products = Product.objects.for_merchant(merchant).in_bulk(worst_ids)

    # Weekly negative share of the worst products (one query).
    mondays = _weeks(today, weeks)
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    weekly: dict[int, dict[dt.date, list[int]]] = defaultdict(
        lambda: {monday: [0, 0] for monday in mondays}
    )
    trend_rows = (
        analyses.filter(
            product_id__in=worst_ids,
            review__created_at__gte=merchant_day_start(merchant=merchant, day=mondays[0]),
        )
        .annotate(day=TruncDate("review__created_at", tzinfo=tz))
        .values("product_id", "day")
        .annotate(
            analysed=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE))
        )
        .order_by()
    )
    for row in trend_rows:
        week = weekly[row["product_id"]].get(_week_start(row["day"]))
        if week is not None:
            week[0] += row["analysed"]
            week[1] += row["negative"]

    worst = [
        ProductNegativeShare(
            product=products[product_id],
            analysed=analysed,
            negative=negative,
            previous_analysed=before.get(product_id, (0, 0))[0],
            previous_negative=before.get(product_id, (0, 0))[1],
            trend=[
                _share(weekly[product_id][monday][1], weekly[product_id][monday][0])
                for monday in mondays
            ],
        )
        for product_id, analysed, negative in ranked
        if product_id in products
    ]
    top_topics = list(
        ComplaintTopic.objects.filter(merchant=merchant)
        .select_related("product")
        .order_by("-size", "label", "pk")[:topics]
    )
    return MerchantInsights(
        today=today,
        days=days,
        period=(first, today),
        previous_period=(previous_first, first - dt.timedelta(days=1)),
        min_reviews=min_reviews,
        reviews=Review.objects.filter(merchant=merchant, created_at__gte=start).count(),
        sentiment=_sentiment_counts(current),
        previous_sentiment=_sentiment_counts(previous),
        weeks=_weekly_sentiment(
            Review.objects.filter(merchant=merchant), merchant=merchant, today=today, weeks=weeks
        ),
        worst_products=worst,
        aspects=_aspect_breakdown(
            AspectMention.objects.filter(merchant=merchant, analysis__review__created_at__gte=start)
        ),
        topics=_topics_with_examples(top_topics, merchant=merchant),
    )


# --- Topics and models --------------------------------------------------------------------------


def complaint_topics(
    *,
    merchant,
    product=None,
    category: str | None = None,
    language: str = "",
    aspect: str = "",
) -> QuerySet[ComplaintTopic]:
    """The merchant's complaint topics, largest first. `product` (instance or id) gives that
    product's topics; `category` that category's topics (category-level ones, product None)."""
    topics = ComplaintTopic.objects.filter(merchant=merchant).select_related("product")
    if product is not None:
        topics = topics.filter(product_id=getattr(product, "pk", product))
    if category is not None:
        topics = topics.filter(product__isnull=True, category=category)
    if language:
        topics = topics.filter(language=language)
    if aspect:
        topics = topics.filter(aspect=aspect)
    return topics.order_by("-size", "label", "pk")


def topic_examples(*, merchant, topic: ComplaintTopic, limit: int = 10) -> list[Review]:
    """A topic's example reviews (its most typical first), then its other newest reviews, up to
    `limit`, with their analyses loaded."""
    example_ids = [int(i) for i in topic.example_review_ids][:limit]
    examples = with_analysis(Review.objects.filter(merchant=merchant, pk__in=example_ids))
    found = {review.pk: review for review in examples}
    ordered = [found[i] for i in example_ids if i in found]
    if len(ordered) < limit:
        more = with_analysis(
            Review.objects.filter(merchant=merchant, analysis__topic=topic).exclude(
                pk__in=example_ids
            )
        ).order_by("-created_at", "-pk")[: limit - len(ordered)]
        ordered.extend(more)
    return ordered


def sentiment_models(*, merchant, language: str = "") -> QuerySet[SentimentModel]:
    """The merchant's sentiment models, newest first (without their artifacts)."""
    models = SentimentModel.objects.filter(merchant=merchant).defer("artifact")
    if language:
        models = models.filter(language=language)
    return models.order_by("-created_at", "-pk")
