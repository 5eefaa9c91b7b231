"""Factories of the review analysis tests: analyses, aspect mentions, topics, models."""

import factory

from reviews.analysis.pipeline import ANALYSER_VERSION
from reviews.models import (
    AspectMention,
    ComplaintTopic,
    ReviewAnalysis,
    SentimentModel,
    SentimentModelStatus,
)
from tests.factories import ProductFactory, ReviewFactory


class ComplaintTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintTopic

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    language = "en"
    label = factory.Sequence(lambda n: f"lid leaks {n}")
    terms = factory.LazyFunction(lambda: ["lid", "leaks"])
    aspect = "quality"
    size = 3
    trend = factory.LazyFunction(lambda: {"weeks": ["2025-01-06"], "counts": [3], "change": 0.0})


class ReviewAnalysisFactory(factory.django.DjangoModelFactory):
    """A current analysis (this analyser version, the default model)."""

    class Meta:
        model = ReviewAnalysis

    review = factory.SubFactory(ReviewFactory)
    merchant = factory.SelfAttribute("review.merchant")
    product = factory.SelfAttribute("review.product")
    analyser_version = ANALYSER_VERSION
    language = factory.LazyAttribute(lambda o: o.review.language or "en")
    sentiment = "positive"
    sentiment_score = 0.9
    sentiment_model = factory.LazyAttribute(
        lambda o: "rating" if o.language == "other" else "default"
    )


class AspectMentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AspectMention

    analysis = factory.SubFactory(ReviewAnalysisFactory)
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
    heldout_accuracy = 0.91
    heldout_macro_f1 = 0.9
    default_accuracy = 0.86
    default_macro_f1 = 0.84
