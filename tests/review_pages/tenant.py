"""Review page objects for the tenant isolation sweep (tests/test_tenant_isolation.py).

The pages take `product_id` and `topic_id`, which the sweep and tests/review_pipeline already
provide; these add Beta's analysed reviews, aspects, a topic with examples and a merchant
model, all carrying the secret, so that the inbox, the insights and the topic pages are swept
with data that would show if it leaked."""

from reviews.models import SentimentModelStatus
from tests.factories import ProductFactory, ReviewFactory

from .factories import AnalysisFactory, MentionFactory, SentimentModelFactory, TopicFactory


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    product = ProductFactory(merchant=merchant, sku=f"{secret}-pages", title=f"{secret} thermos")
    topic = TopicFactory(product=product, label=f"{secret} cap cracks", terms=[secret], size=3)
    reviews = [
        ReviewFactory(product=product, rating=1, title=f"{secret} {n}", body=f"{secret} cracked")
        for n in range(3)
    ]
    topic.example_review_ids = [review.pk for review in reviews]
    topic.trend = {"weeks": ["2025-01-06", "2025-01-13"], "counts": [1, 2], "change": 1.0}
    topic.save()
    for review in reviews:
        analysis = AnalysisFactory(review=review, sentiment="negative", topic=topic)
        MentionFactory(analysis=analysis, span_text=f"{secret} span")
    SentimentModelFactory(
        merchant=merchant,
        language="zh",
        trainer_version=f"{secret}-trainer",
        status=SentimentModelStatus.FAILED,
        error=f"{secret} failure",
    )
    return {}


def alice_objects(*, merchant, owner) -> None:
    product = ProductFactory(merchant=merchant)
    topic = TopicFactory(product=product, size=1)
    review = ReviewFactory(product=product, rating=2, body="The cap cracked.")
    topic.example_review_ids = [review.pk]
    topic.save()
    analysis = AnalysisFactory(review=review, sentiment="negative", topic=topic)
    MentionFactory(analysis=analysis)
