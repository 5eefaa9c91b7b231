"""Writes of complaint topics: group a merchant's negative reviews per product and category.

`topics_rebuild(merchant=...)` reads the negative analysed reviews written in the last
REVIEWS_TOPICS_DAYS days (Chinese and English; other languages have no topics) and, per
product and language, then per category and language, asks
`reviews.analysis.topics.topics_build` for at most REVIEWS_TOPICS_MAX topics of at least
REVIEWS_TOPICS_MIN_SIZE reviews each, labelled by their most distinctive terms, with a weekly
trend over REVIEWS_TOPICS_WEEKS weeks and example reviews.

Each review points at one topic (`ReviewAnalysis.topic`): its product's topic when it is in
one, else its category's. A category topic's `size` counts all its reviews, also those that
point at a product topic; filtering reviews by a category topic gives those that point at it.

A topic keeps its id across rebuilds while its scope (product or category), language and label
stay the same, so links to it keep working; topics that no longer form are deleted.
Runs nightly (beat) and at the end of every backfill job.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from core.selectors import merchant_day_start, merchant_today
from jobs.services import BROKER_ERRORS

from ..analysis.pipeline import ANALYSED_LANGUAGES, review_text
from ..models import Aspect, ComplaintTopic, ReviewAnalysis, Sentiment

logger = logging.getLogger(__name__)
_LABEL_MAX = ComplaintTopic._meta.get_field("label").max_length
_EXAMPLES_MAX = 10


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class TopicsReport:
    topics: int = 0
    assigned: int = 0  # reviews that point at a topic after the rebuild
    deleted: int = 0


def _trend(value) -> dict:
    """The topic's weekly counts as stored: {"weeks": [...], "counts": [...], "change": x}."""
    if isinstance(value, dict):
        return {
            key: (
                [item.isoformat() if isinstance(item, dt.date) else item for item in val]
                if isinstance(val, list | tuple)
                else val
            )
            for key, val in value.items()
        }
    if isinstance(value, list | tuple):
        return {"counts": [int(count) for count in value]}
    return {}


def _built(docs, *, language: str, today: dt.date):
    from ..analysis.topics import topics_build

    return topics_build(
        docs,
        language=language,
        today=today,
        max_topics=_setting("REVIEWS_TOPICS_MAX", 8),
        min_size=_setting("REVIEWS_TOPICS_MIN_SIZE", 3),
        weeks=_setting("REVIEWS_TOPICS_WEEKS", 12),
    )


def topics_rebuild(
    *, merchant, product=None, category: str | None = None, today: dt.date | None = None
) -> TopicsReport:
    """Regroup the merchant's complaint topics: all of them, or one product's (`product`), or
    one category's category-level topics (`category`). See the module docstring."""
    from ..analysis.topics import TopicDoc

    today = today or merchant_today(merchant=merchant)
    min_size = _setting("REVIEWS_TOPICS_MIN_SIZE", 3)
    since = merchant_day_start(
        merchant=merchant, day=today - dt.timedelta(days=_setting("REVIEWS_TOPICS_DAYS", 365))
    )
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    do_products = category is None
    do_categories = product is None

    negative = ReviewAnalysis.objects.filter(
        merchant=merchant,
        sentiment=Sentiment.NEGATIVE,
        language__in=ANALYSED_LANGUAGES,
        review__created_at__gte=since,
    )
    if product is not None:
        negative = negative.filter(product=product)
    if category is not None:
        negative = negative.filter(product__category=category)
    rows = negative.order_by("review_id").values_list(
        "review_id",
        "product_id",
        "product__category",
        "language",
        "review__title",
        "review__body",
        "review__created_at",
    )
    by_product: dict[tuple[int, str], list] = defaultdict(list)
    by_category: dict[tuple[str, str], list] = defaultdict(list)
    for review_id, product_id, product_category, language, title, body, created in rows:
        doc = TopicDoc(
            review_id=review_id,
            text=review_text({"title": title, "body": body}),
            language=language,
            created=created.astimezone(tz).date(),
        )
        by_product[(product_id, language)].append(doc)
        if product_category:
            by_category[(product_category, language)].append(doc)

    # (product_id or None, category, language) -> list of Topic, computed before any write.
    groups: dict[tuple[int | None, str, str], list] = {}
    if do_products:
        for (product_id, language), docs in by_product.items():
            if len(docs) >= min_size:
                groups[(product_id, "", language)] = _built(docs, language=language, today=today)
    if do_categories:
        for (name, language), docs in by_category.items():
            if len(docs) >= min_size:
                groups[(None, name, language)] = _built(docs, language=language, today=today)

    existing = ComplaintTopic.objects.filter(merchant=merchant)
    if product is not None:
        existing = existing.filter(product=product)
    elif category is not None:
        existing = existing.filter(product__isnull=True, category=category)
    return _topics_write(merchant=merchant, existing=existing, groups=groups)


def topics_rebuild_request(*, merchant_id: int) -> None:
    """Regroup a merchant's topics on the task queue once the transaction commits."""

    def send() -> None:
        from ..tasks import reviews_topics_rebuild

        try:
            reviews_topics_rebuild.delay(merchant_id=merchant_id)
        except BROKER_ERRORS as exc:  # the nightly rebuild does it anyway
            logger.warning("topics of merchant %s: broker unavailable: %s", merchant_id, exc)

    transaction.on_commit(send, robust=True)


def _chunks(items: list[int], size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _topics_write(*, merchant, existing, groups) -> TopicsReport:
    """Save the built topics in one transaction: keep the ids of topics whose scope, language
    and label did not change, delete the others, point each review at its topic."""
    report = TopicsReport()
    aspects = set(Aspect.values)
    with transaction.atomic():
        old = {(t.product_id, t.category, t.language, t.label): t for t in existing}
        # Reviews of the topics being replaced lose them; they get the new ones below.
        ReviewAnalysis.objects.filter(merchant=merchant, topic__in=list(old.values())).update(
            topic=None
        )
        kept_ids = set()
        members: dict[int, int] = {}  # review id -> topic id, product topics first
        assignments: list[tuple[ComplaintTopic, list[int]]] = []
        for (product_id, category, language), topics in groups.items():
            for built in topics:
                label = str(built.label)[:_LABEL_MAX]
                key = (product_id, category, language, label)
                topic = old.get(key) or ComplaintTopic(
                    merchant=merchant,
                    product_id=product_id,
                    category=category,
                    language=language,
                    label=label,
                )
                topic.terms = [str(term) for term in built.terms]
                topic.aspect = built.aspect if built.aspect in aspects else ""
                topic.size = int(built.size)
                topic.trend = _trend(built.trend)
                topic.example_review_ids = [int(i) for i in built.example_ids][:_EXAMPLES_MAX]
                topic.save()
                kept_ids.add(topic.pk)
                assignments.append((topic, [int(i) for i in built.review_ids]))
        stale = [topic.pk for topic in old.values() if topic.pk not in kept_ids]
        if stale:
            ComplaintTopic.objects.filter(pk__in=stale).delete()
        report.deleted = len(stale)
        report.topics = len(kept_ids)

        assignments.sort(key=lambda item: item[0].product_id is None)
        product_topics = {topic.pk for topic, _ids in assignments if topic.product_id}
        for topic, review_ids in assignments:
            for review_id in review_ids:
                members.setdefault(review_id, topic.pk)
        # A product topic replaces whatever a review pointed at; a category topic only fills
        # in for reviews without any (those of a product whose topics were kept).
        current: dict[int, int | None] = {}
        for chunk in _chunks(sorted(members)):
            current.update(
                ReviewAnalysis.objects.filter(merchant=merchant, review_id__in=chunk).values_list(
                    "review_id", "topic_id"
                )
            )
        changes = [
            ReviewAnalysis(review_id=review_id, topic_id=topic_id)
            for review_id, topic_id in members.items()
            if review_id in current
            and current[review_id] != topic_id
            and (current[review_id] is None or topic_id in product_topics)
        ]
        ReviewAnalysis.objects.bulk_update(changes, ["topic"], batch_size=500)
        report.assigned = ReviewAnalysis.objects.filter(
            merchant=merchant, topic__isnull=False
        ).count()
    return report
