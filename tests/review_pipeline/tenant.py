"""Review analysis objects for the tenant isolation sweep (tests/test_tenant_isolation.py)."""

from reviews.models import SentimentModelStatus
from tests.factories import ProductFactory, ReviewFactory

from .factories import (
    AspectMentionFactory,
    ComplaintTopicFactory,
    ReviewAnalysisFactory,
    SentimentModelFactory,
)


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    product = ProductFactory(merchant=merchant, sku=f"{secret}-topic", title=f"{secret} flask")
    review = ReviewFactory(
        product=product, title=f"{secret} leaks", body=f"{secret} lid leaks", rating=1
    )
    topic = ComplaintTopicFactory(
        product=product,
        label=f"{secret} lid leaks",
        terms=[secret],
        category=f"{secret} category",
        example_review_ids=[review.pk],
    )
    analysis = ReviewAnalysisFactory(review=review, sentiment="negative", topic=topic)
    AspectMentionFactory(analysis=analysis, span_text=f"{secret} span")
    ComplaintTopicFactory(
        product=None, merchant=merchant, category=f"{secret} category", label=f"{secret} cat"
    )
    SentimentModelFactory(
        merchant=merchant,
        trainer_version=f"{secret}-trainer",
        status=SentimentModelStatus.ACTIVE,
        error=secret,
    )
    return {"topic_id": topic.pk}


def alice_objects(*, merchant, owner) -> None:
    product = ProductFactory(merchant=merchant)
    review = ReviewFactory(product=product, rating=2)
    topic = ComplaintTopicFactory(product=product, example_review_ids=[review.pk])
    analysis = ReviewAnalysisFactory(review=review, sentiment="negative", topic=topic)
    AspectMentionFactory(analysis=analysis)
    SentimentModelFactory(merchant=merchant)
