"""Factories of the review page tests: analyses, aspect mentions, topics and sentiment models
made directly, so the pages are tested without running the analysers."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from reviews.analysis.pipeline import ANALYSER_VERSION
from reviews.models import (
    AspectMention,
    ComplaintTopic,
    ReviewAnalysis,
    SentimentModel,
    SentimentModelStatus,
)
from tests.factories import ReviewFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintTopic

    product = factory.SubFactory("tests.factories.ProductFactory")
    merchant = factory.SelfAttribute("product.merchant")
    language = "en"
    label = factory.Sequence(lambda n: f"lid leaks {n}")
    terms = factory.LazyFunction(lambda: ["lid", "leaks", "water"])
    aspect = "quality"
    size = 0
    trend = factory.LazyFunction(dict)
    example_review_ids = factory.LazyFunction(list)


class AnalysisFactory(factory.django.DjangoModelFactory):
    """A current analysis (this analyser version, the default model)."""

    class Meta:
        model = ReviewAnalysis

    review = factory.SubFactory(ReviewFactory)
    merchant = factory.SelfAttribute("review.merchant")
    product = factory.SelfAttribute("review.product")
    analyser_version = ANALYSER_VERSION
    language = factory.LazyAttribute(lambda o: o.review.language or "en")
    sentiment = "positive"
    sentiment_score = factory.LazyAttribute(
        lambda o: {"positive": 0.92, "neutral": 0.5, "negative": 0.08}[o.sentiment]
    )
    sentiment_model = factory.LazyAttribute(
        lambda o: "rating" if o.language == "other" else "default"
    )


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AspectMention

    analysis = factory.SubFactory(AnalysisFactory)
    merchant = factory.SelfAttribute("analysis.merchant")
    product = factory.SelfAttribute("analysis.product")
    aspect = "quality"
    polarity = "negative"
    span_start = 0
    span_end = 4
    span_text = "leak"


class SentimentModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentimentModel

    merchant = factory.SubFactory("tests.factories.MerchantFactory")
    language = "en"
    status = SentimentModelStatus.REJECTED
    trainer_version = "test-1"
    train_reviews = 800
    heldout_reviews = 200
    heldout_accuracy = 0.912
    heldout_macro_f1 = 0.904
    default_accuracy = 0.861
    default_macro_f1 = 0.843


def analysed_review(
    product,
    *,
    sentiment: str = "positive",
    aspects: tuple[tuple[str, str], ...] = (),
    topic=None,
    days_ago: float = 1,
    **review_fields,
):
    """A review of `product` written `days_ago` days ago, analysed as `sentiment`, with one
    aspect mention per (aspect, polarity) and the complaint `topic`."""
    review_fields.setdefault("created_at", timezone.now() - dt.timedelta(days=days_ago))
    review = ReviewFactory(product=product, **review_fields)
    analysis = AnalysisFactory(review=review, sentiment=sentiment, topic=topic)
    for aspect, polarity in aspects:
        MentionFactory(analysis=analysis, aspect=aspect, polarity=polarity, span_text=aspect)
    return review
