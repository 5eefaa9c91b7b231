"""Factories of the review language-model tests: analyses, aspect mentions, summaries, replies."""

import factory

from products.content.models import ContentDraft, DraftStatus
from reviews.models import AspectMention, ReviewAnalysis, ReviewSummary
from tests.factories import ReviewFactory


class ReviewAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAnalysis

    review = factory.SubFactory(ReviewFactory)
    merchant = factory.SelfAttribute("review.merchant")
    product = factory.SelfAttribute("review.product")
    analyser_version = "test-1"
    language = factory.SelfAttribute("review.language")
    sentiment = "negative"
    sentiment_score = 0.1
    sentiment_model = "default"


def mention(analysis, aspect: str, polarity: str, span: str) -> AspectMention:
    """A mention of `aspect` at the first occurrence of `span` in the review's analysed text."""
    review = analysis.review
    text = f"{review.title}\n{review.body}" if review.title else review.body
    start = text.index(span)
    return AspectMention.objects.create(
        analysis=analysis,
        merchant=analysis.merchant,
        product=analysis.product,
        aspect=aspect,
        polarity=polarity,
        span_start=start,
        span_end=start + len(span),
        span_text=span,
    )


class ReviewSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewSummary

    product = factory.SubFactory("tests.factories.ProductFactory")
    merchant = factory.SelfAttribute("product.merchant")
    aspect = ""
    language = "en"
    statements = factory.LazyFunction(list)
    dropped = 0
    reviews_considered = 0


class ReplyDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentDraft

    review = factory.SubFactory(ReviewFactory, rating=1, body="The lid leaks.")
    product = factory.SelfAttribute("review.product")
    merchant = factory.SelfAttribute("review.merchant")
    kind = "review_reply"
    language = "en"
    channel = ""
    status = DraftStatus.DRAFT
    text = "Thank you for your review. We are sorry the lid leaks."
    generated_text = factory.SelfAttribute("text")
    claims = factory.LazyFunction(list)
    candidates = factory.LazyAttribute(
        lambda o: [
            {
                "text": o.text,
                "claims": [],
                "unsupported_count": 0,
                "coverage": 1.0,
                "covered_attributes": ["quality"],
                "missing_attributes": [],
                "repetition": False,
                "length_ok": True,
                "score": 8.0,
                "addressed_aspects": ["quality"],
            }
        ]
    )
    unsupported_count = 0
    prompt_version = "review-reply-en-v1"
    model = "fake-echo"
