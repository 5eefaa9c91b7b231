"""Complaint topics: negative reviews grouped per product and category, reviews pointing at
their topic, ids kept across rebuilds."""

import datetime as dt

import pytest
from django.utils import timezone

from reviews.models import ComplaintTopic, ReviewAnalysis
from reviews.services.analysis import reviews_analyse
from reviews.services.topics import topics_rebuild
from tests.factories import ProductFactory, ReviewFactory

pytestmark = pytest.mark.django_db

LEAKS = [
    "The lid leaks water everywhere, terrible.",
    "Lid leaks, my bag got soaked. Bad seal.",
    "Leaks from the lid after a week, awful.",
    "The lid leaks badly. Very disappointed.",
    "Water leaks out of the lid. Poor seal.",
]
STRAPS = [
    "The strap broke after two days. Terrible.",
    "Strap snapped on the first hike, bad quality.",
    "Broken strap within a week, awful.",
    "The carry strap broke. Poor stitching.",
    "Strap ripped off, terrible build.",
]


def negative_reviews(product, texts, *, days_ago: int = 3):
    created = timezone.now() - dt.timedelta(days=days_ago)
    return [
        ReviewFactory(product=product, title="", body=text, rating=1, created_at=created)
        for text in texts
    ]


def test_negative_reviews_of_a_product_form_topics_and_point_at_them(merchant):
    bottle = ProductFactory(merchant=merchant, category="Drinkware")
    reviews = negative_reviews(bottle, LEAKS + STRAPS)
    ReviewFactory.create_batch(4, product=bottle, body="Great bottle, love it.", rating=5)
    reviews_analyse(merchant=merchant)

    report = topics_rebuild(merchant=merchant)

    topics = list(ComplaintTopic.objects.filter(merchant=merchant, product=bottle))
    assert topics and report.topics >= len(topics)
    for topic in topics:
        assert topic.size >= 3 and topic.label and topic.terms and topic.language == "en"
        members = set(ReviewAnalysis.objects.filter(topic=topic).values_list("pk", flat=True))
        assert members <= {r.pk for r in reviews}
        assert set(topic.example_review_ids) <= {r.pk for r in reviews}
        assert topic.trend["counts"] and sum(topic.trend["counts"]) >= len(members)
    # Positive reviews never sit in a complaint topic.
    assert not ReviewAnalysis.objects.filter(sentiment="positive", topic__isnull=False).exists()
    assert ReviewAnalysis.objects.filter(topic__isnull=False).count() == report.assigned


def test_a_rebuild_keeps_topic_ids_and_removes_topics_that_no_longer_form(merchant):
    bottle = ProductFactory(merchant=merchant, category="Drinkware")
    leaks = negative_reviews(bottle, LEAKS)
    reviews_analyse(merchant=merchant)
    topics_rebuild(merchant=merchant)
    first = {t.pk: t.label for t in ComplaintTopic.objects.filter(product=bottle)}
    assert first

    topics_rebuild(merchant=merchant)
    assert {t.pk: t.label for t in ComplaintTopic.objects.filter(product=bottle)} == first

    type(leaks[0]).objects.filter(pk__in=[r.pk for r in leaks]).delete()
    topics_rebuild(merchant=merchant)
    assert not ComplaintTopic.objects.filter(product=bottle).exists()


def test_category_topics_cover_products_too_small_for_their_own(merchant):
    small = [ProductFactory(merchant=merchant, category="Drinkware") for _ in range(5)]
    for product, text in zip(small, LEAKS, strict=True):
        negative_reviews(product, [text])
    other_category = ProductFactory(merchant=merchant, category="Toys")
    negative_reviews(other_category, STRAPS[:2])
    reviews_analyse(merchant=merchant)

    topics_rebuild(merchant=merchant)

    assert not ComplaintTopic.objects.filter(product__isnull=False).exists()
    category_topics = ComplaintTopic.objects.filter(product__isnull=True, category="Drinkware")
    assert category_topics.exists()
    assert not ComplaintTopic.objects.filter(category="Toys").exists()  # 2 < min size
    pointed = ReviewAnalysis.objects.filter(topic__in=category_topics)
    assert pointed.exists() and {a.product_id for a in pointed} <= {p.pk for p in small}


def test_topics_of_one_merchant_never_include_another_merchants_reviews(merchant, other_merchant):
    mine = ProductFactory(merchant=merchant, category="Drinkware")
    theirs = ProductFactory(merchant=other_merchant, category="Drinkware")
    negative_reviews(mine, LEAKS)
    their_reviews = negative_reviews(theirs, LEAKS)
    reviews_analyse(merchant=merchant)
    reviews_analyse(merchant=other_merchant)

    topics_rebuild(merchant=merchant)

    assert not ComplaintTopic.objects.filter(merchant=other_merchant).exists()
    for topic in ComplaintTopic.objects.all():
        assert not set(topic.example_review_ids) & {r.pk for r in their_reviews}
    assert not ReviewAnalysis.objects.filter(merchant=other_merchant, topic__isnull=False).exists()


def test_a_review_that_turns_positive_leaves_its_topic(merchant):
    bottle = ProductFactory(merchant=merchant)
    reviews = negative_reviews(bottle, LEAKS)
    reviews_analyse(merchant=merchant)
    topics_rebuild(merchant=merchant)
    review = next(r for r in reviews if ReviewAnalysis.objects.get(pk=r.pk).topic_id)

    type(review).objects.filter(pk=review.pk).update(body="Actually great, I love it.", rating=5)
    reviews_analyse(merchant=merchant, review_ids=[review.pk])  # not outdated: nothing happens
    from reviews.services.analysis import reviews_mark_stale

    reviews_mark_stale(merchant_id=merchant.pk, review_ids=[review.pk])
    reviews_analyse(merchant=merchant)

    analysis = ReviewAnalysis.objects.get(pk=review.pk)
    assert (analysis.sentiment, analysis.topic_id) == ("positive", None)
