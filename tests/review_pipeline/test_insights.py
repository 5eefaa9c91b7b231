"""Insights computed from a hand-built set of reviews whose numbers are known."""

import datetime as dt

import pytest

from reviews.selectors.insights import merchant_insights, product_insights, review_inbox
from tests.factories import ProductFactory, ReviewFactory

from .factories import AspectMentionFactory, ComplaintTopicFactory, ReviewAnalysisFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 12)  # a Wednesday; its week starts on Monday 10 March


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def review(product, day: str, rating, sentiment=None, aspects=()):
    item = ReviewFactory(product=product, created_at=at(day), rating=rating)
    if sentiment:
        analysis = ReviewAnalysisFactory(review=item, sentiment=sentiment)
        for aspect, polarity in aspects:
            AspectMentionFactory(analysis=analysis, aspect=aspect, polarity=polarity)
    return item


@pytest.fixture
def bottle_reviews(merchant):
    bottle = ProductFactory(merchant=merchant, sku="BTL")
    reviews = {
        "r1": review(bottle, "2025-03-11", 1, "negative", [("quality", "negative")]),
        "r2": review(
            bottle, "2025-03-10", 2, "negative", [("quality", "negative"), ("shipping", "positive")]
        ),
        "r3": review(bottle, "2025-03-04", 5, "positive", [("shipping", "positive")]),
        "r4": review(bottle, "2025-03-03", 4, "neutral"),
        "r5": review(bottle, "2025-02-25", None),  # not analysed yet
        "r6": review(bottle, "2025-01-01", 5, "positive"),  # before the trend
    }
    return bottle, reviews


def test_product_insights_count_the_weeks_sentiments_ratings_and_aspects(merchant, bottle_reviews):
    bottle, reviews = bottle_reviews

    insights = product_insights(merchant=merchant, product=bottle, weeks=3, today=TODAY)

    assert [w.week for w in insights.weeks] == [
        dt.date(2025, 2, 24),
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 10),
    ]
    old, middle, current = insights.weeks
    assert (old.pending, old.analysed, old.negative_share, old.average_rating) == (1, 0, None, None)
    assert (middle.positive, middle.neutral, middle.negative) == (1, 1, 0)
    assert (middle.negative_share, middle.average_rating) == (0.0, 4.5)
    assert (current.negative, current.total, current.negative_share) == (2, 2, 1.0)
    assert current.average_rating == 1.5

    assert (insights.reviews, insights.analysed, insights.pending) == (6, 5, 1)
    assert insights.sentiment == {"positive": 2, "neutral": 1, "negative": 2}
    assert insights.negative_share == 0.4
    assert insights.average_rating == 3.4
    assert insights.rating_distribution == {1: 1, 2: 1, 3: 0, 4: 1, 5: 2}
    assert insights.unrated == 1
    assert [(a.aspect, a.positive, a.negative, a.total) for a in insights.aspects] == [
        ("quality", 0, 2, 2),
        ("shipping", 2, 0, 2),
    ]
    assert insights.aspects[0].negative_share == 1.0


def test_product_insights_since_a_day_count_only_later_reviews(merchant, bottle_reviews):
    bottle, _reviews = bottle_reviews

    insights = product_insights(
        merchant=merchant, product=bottle, since=dt.date(2025, 3, 4), today=TODAY
    )

    assert (insights.reviews, insights.analysed) == (3, 3)
    assert insights.rating_distribution == {1: 1, 2: 1, 3: 0, 4: 0, 5: 1}
    assert [(a.aspect, a.total) for a in insights.aspects] == [("quality", 2), ("shipping", 2)]


def test_product_insights_list_its_largest_topics_with_their_examples(
    merchant, other_merchant, bottle_reviews
):
    bottle, reviews = bottle_reviews
    theirs = ReviewFactory(product=ProductFactory(merchant=other_merchant))
    big = ComplaintTopicFactory(
        product=bottle, size=5, example_review_ids=[reviews["r1"].pk, theirs.pk, reviews["r2"].pk]
    )
    small = ComplaintTopicFactory(product=bottle, size=2)
    ComplaintTopicFactory(product=ProductFactory(merchant=merchant), size=9)

    insights = product_insights(merchant=merchant, product=bottle, today=TODAY)

    assert [t.topic for t in insights.topics] == [big, small]
    # Another merchant's review id in a topic is never shown.
    assert [r.pk for r in insights.topics[0].examples] == [reviews["r1"].pk, reviews["r2"].pk]


def test_merchant_insights_rank_products_by_negative_share_with_their_trend(
    merchant, other_merchant, bottle_reviews
):
    bottle, _reviews = bottle_reviews
    mug = ProductFactory(merchant=merchant, sku="MUG")
    review(mug, "2025-03-08", 1, "negative")
    review(mug, "2025-03-09", 5, "positive")
    review(mug, "2025-03-11", 4, "positive")
    review(mug, "2025-03-01", 1, "negative")
    lonely = ProductFactory(merchant=merchant, sku="ONE")
    review(lonely, "2025-03-11", 1, "negative")  # one review: not ranked with min_reviews=2
    theirs = ProductFactory(merchant=other_merchant)
    for day in ("2025-03-10", "2025-03-11", "2025-03-12"):
        review(theirs, day, 1, "negative")

    insights = merchant_insights(merchant=merchant, days=7, weeks=2, min_reviews=2, today=TODAY)

    assert insights.period == (dt.date(2025, 3, 6), TODAY)
    assert insights.previous_period == (dt.date(2025, 2, 27), dt.date(2025, 3, 5))
    assert [row.product.sku for row in insights.worst_products] == ["BTL", "MUG"]
    first, second = insights.worst_products
    assert (first.analysed, first.negative, first.negative_share) == (2, 2, 1.0)
    assert (first.previous_analysed, first.previous_negative, first.previous_share) == (2, 0, 0.0)
    assert first.change == 1.0
    assert first.trend == [0.0, 1.0]  # weeks of 3 and 10 March
    assert (second.negative_share, second.previous_share, second.change) == (0.3333, 1.0, -0.6667)
    assert insights.sentiment == {"positive": 2, "neutral": 0, "negative": 4}
    assert insights.negative_share == pytest.approx(4 / 6, abs=1e-4)
    assert insights.reviews == 6


def test_the_inbox_filters_by_what_the_analysis_found(merchant, bottle_reviews):
    bottle, reviews = bottle_reviews
    topic = ComplaintTopicFactory(product=bottle)
    type(reviews["r1"].analysis).objects.filter(pk=reviews["r1"].pk).update(topic=topic)

    def ids(**filters):
        return {r.pk for r in review_inbox(merchant=merchant, **filters)}

    assert ids(sentiment="negative") == {reviews["r1"].pk, reviews["r2"].pk}
    assert ids(aspect="shipping") == {reviews["r2"].pk, reviews["r3"].pk}
    assert ids(aspect="shipping", polarity="negative") == set()
    assert ids(polarity="negative") == {reviews["r1"].pk, reviews["r2"].pk}
    assert ids(topic=topic) == ids(topic=topic.pk) == {reviews["r1"].pk}
    assert ids(date_from=dt.date(2025, 3, 4), date_to=dt.date(2025, 3, 10)) == {
        reviews["r2"].pk,
        reviews["r3"].pk,
    }
    assert ids(analysed=False) == {reviews["r5"].pk}
    assert ids(rating_min=4, sentiment="positive") == {reviews["r3"].pk, reviews["r6"].pk}
    assert ids(product=bottle.pk, search="KEEPS WATER") == set(ids())


def test_the_inbox_loads_analyses_in_a_fixed_number_of_queries(
    merchant, bottle_reviews, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        rows = list(review_inbox(merchant=merchant))
        for row in rows:
            analysis = getattr(row, "analysis", None)
            if analysis is not None:
                list(analysis.aspects.all())
                _ = analysis.topic
                _ = row.product.sku
    assert len(rows) == 6
