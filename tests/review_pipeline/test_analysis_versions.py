"""Analyses carry the analyser version; only new, changed or outdated reviews are analysed."""

import pytest

from reviews.analysis.pipeline import ANALYSER_VERSION, review_text
from reviews.models import AspectMention, ReviewAnalysis
from reviews.selectors.insights import reviews_needing_analysis
from reviews.services.analysis import reviews_analyse, reviews_mark_stale
from tests.factories import ProductFactory, ReviewFactory

pytestmark = pytest.mark.django_db

LEAK = "The lid leaks and my bag was soaked. Terrible, it broke after a week."
PRAISE = "Great bottle, I love it. Keeps water cold all day, perfect."


def test_every_review_is_stored_with_the_analyser_version_language_and_sentiment(merchant):
    product = ProductFactory(merchant=merchant)
    bad = ReviewFactory(product=product, title="", body=LEAK, rating=1, language="")
    good = ReviewFactory(product=product, title="Love it", body=PRAISE, rating=5)
    chinese = ReviewFactory(
        product=product, title="", body="盖子漏水，质量很差，很失望", rating=1, language=""
    )
    emoji = ReviewFactory(product=product, title="", body="👍👍👍", rating=4, language="")

    report = reviews_analyse(merchant=merchant)

    assert (report.analysed, report.skipped) == (4, 0)
    rows = {a.review_id: a for a in ReviewAnalysis.objects.all()}
    assert {a.analyser_version for a in rows.values()} == {ANALYSER_VERSION}
    assert rows[bad.pk].language == "en" and rows[bad.pk].sentiment == "negative"
    assert rows[good.pk].sentiment == "positive"
    assert rows[chinese.pk].language == "zh" and rows[chinese.pk].sentiment == "negative"
    assert rows[bad.pk].sentiment_score < 0.5 < rows[good.pk].sentiment_score
    assert rows[bad.pk].sentiment_model == "default"
    # A language no model reads: its sentiment comes from the stars, and it has no aspects.
    assert (rows[emoji.pk].language, rows[emoji.pk].sentiment) == ("other", "positive")
    assert rows[emoji.pk].sentiment_model == "rating"
    assert not AspectMention.objects.filter(analysis=rows[emoji.pk]).exists()
    assert {a.merchant_id for a in rows.values()} == {merchant.pk}
    assert {a.product_id for a in rows.values()} == {product.pk}


def test_aspect_spans_point_into_the_title_and_body_as_analysed(merchant):
    review = ReviewFactory(
        product=ProductFactory(merchant=merchant), title="Leaks", body=LEAK, rating=1
    )
    reviews_analyse(merchant=merchant)

    text = review_text(review)
    assert text == f"Leaks\n{LEAK}"
    mentions = list(AspectMention.objects.filter(analysis_id=review.pk))
    assert mentions, "a leaking lid is an aspect"
    for mention in mentions:
        assert text[mention.span_start : mention.span_end] == mention.span_text
        assert (mention.merchant_id, mention.product_id) == (merchant.pk, review.product_id)


def test_a_second_run_analyses_nothing_and_new_reviews_only_are_analysed_next(merchant):
    product = ProductFactory(merchant=merchant)
    ReviewFactory.create_batch(3, product=product, body=PRAISE)
    assert reviews_analyse(merchant=merchant).analysed == 3
    before = dict(ReviewAnalysis.objects.values_list("review_id", "analysed_at"))

    assert reviews_analyse(merchant=merchant).analysed == 0
    new = ReviewFactory(product=product, body=LEAK, rating=1)
    assert list(reviews_needing_analysis(merchant=merchant)) == [new]
    assert reviews_analyse(merchant=merchant).analysed == 1

    after = dict(ReviewAnalysis.objects.values_list("review_id", "analysed_at"))
    assert {k: after[k] for k in before} == before  # the old ones were not touched


def test_analyses_of_another_analyser_version_are_analysed_again(merchant):
    product = ProductFactory(merchant=merchant)
    reviews = ReviewFactory.create_batch(4, product=product, body=LEAK, rating=1)
    reviews_analyse(merchant=merchant)
    old = reviews[:2]
    ReviewAnalysis.objects.filter(review__in=old).update(
        analyser_version="p0-sold-aold", sentiment="positive"
    )
    AspectMention.objects.filter(analysis__review__in=old).delete()

    assert set(reviews_needing_analysis(merchant=merchant)) == set(old)
    assert reviews_analyse(merchant=merchant).analysed == 2

    refreshed = ReviewAnalysis.objects.filter(review__in=old)
    assert {a.analyser_version for a in refreshed} == {ANALYSER_VERSION}
    assert {a.sentiment for a in refreshed} == {"negative"}
    assert AspectMention.objects.filter(analysis__review__in=old).exists()
    # Re-analysis replaces aspect rows, never adds to them.
    counts = [AspectMention.objects.filter(analysis_id=r.pk).count() for r in reviews]
    assert len(set(counts)) == 1


def test_marking_stale_re_analyses_only_the_marked_reviews(merchant):
    product = ProductFactory(merchant=merchant)
    first, second = ReviewFactory.create_batch(2, product=product, body=PRAISE)
    reviews_analyse(merchant=merchant)

    assert reviews_mark_stale(merchant_id=merchant.pk, review_ids=[first.pk]) == 1

    assert list(reviews_needing_analysis(merchant=merchant)) == [first]
    assert reviews_analyse(merchant=merchant, review_ids=[first.pk, second.pk]).analysed == 1


def test_an_analysis_made_with_another_model_than_the_current_one_is_outdated(merchant):
    review = ReviewFactory(product=ProductFactory(merchant=merchant), body=PRAISE)
    reviews_analyse(merchant=merchant)
    ReviewAnalysis.objects.filter(pk=review.pk).update(sentiment_model="merchant:999")

    assert list(reviews_needing_analysis(merchant=merchant)) == [review]
    reviews_analyse(merchant=merchant)
    assert ReviewAnalysis.objects.get(pk=review.pk).sentiment_model == "default"


def test_one_merchants_run_never_touches_another_merchants_reviews(merchant, other_merchant):
    ReviewFactory(product=ProductFactory(merchant=merchant), body=PRAISE)
    theirs = ReviewFactory(product=ProductFactory(merchant=other_merchant), body=PRAISE)

    reviews_analyse(merchant=merchant, review_ids=[theirs.pk])
    assert not ReviewAnalysis.objects.filter(review=theirs).exists()
    reviews_analyse(merchant=merchant)
    assert not ReviewAnalysis.objects.filter(review=theirs).exists()
    assert ReviewAnalysis.objects.filter(merchant=merchant).count() == 1


def test_a_review_edited_while_its_batch_ran_is_left_for_the_next_run(merchant, monkeypatch):
    from reviews.services import analysis

    review = ReviewFactory(product=ProductFactory(merchant=merchant), body=PRAISE, rating=5)
    real = analysis.analyse_reviews

    def analyse_then_edit(*args, **kwargs):
        results = real(*args, **kwargs)
        type(review).objects.filter(pk=review.pk).update(body=LEAK, rating=1)
        return results

    monkeypatch.setattr(analysis, "analyse_reviews", analyse_then_edit)
    report = reviews_analyse(merchant=merchant)

    assert (report.analysed, report.skipped) == (0, 1)
    assert not ReviewAnalysis.objects.exists()
    monkeypatch.setattr(analysis, "analyse_reviews", real)
    reviews_analyse(merchant=merchant)
    assert ReviewAnalysis.objects.get(pk=review.pk).sentiment == "negative"


def test_batches_are_written_in_chunks_with_progress(merchant, settings):
    settings.REVIEWS_ANALYSIS_BATCH = 4
    ReviewFactory.create_batch(10, product=ProductFactory(merchant=merchant), body=PRAISE)
    seen = []

    report = reviews_analyse(merchant=merchant, on_batch=seen.append)

    assert report.analysed == 10
    assert seen == [4, 4, 2]


def test_a_review_labelled_chinese_but_written_in_japanese_is_analysed_as_other(merchant):
    review = ReviewFactory(
        product=ProductFactory(merchant=merchant),
        title="",
        body="とても良い商品です。また買いたいです。",
        rating=5,
        language="zh",
    )
    reviews_analyse(merchant=merchant)
    analysis = ReviewAnalysis.objects.get(pk=review.pk)
    assert (analysis.language, analysis.sentiment, analysis.sentiment_model) == (
        "other",
        "positive",
        "rating",
    )
