"""Fixtures of the review language-model tests: a product with reviews, members, a fake model."""

import datetime as dt

import pytest
from django.utils import timezone

import reviews.llm.tasks  # noqa: F401 - registers the llm_* tasks (reviews/tasks.py will too)
from core import llm
from tests.factories import ProductFactory, ReviewFactory

from .factories import ReviewAnalysisFactory, mention


@pytest.fixture
def bottle(merchant):
    return ProductFactory(
        merchant=merchant,
        sku="B-750",
        title="Insulated bottle 750 ml",
        category="Drinkware",
        attributes={"material": "stainless steel", "capacity": "750 ml", "warranty": "2 years"},
    )


def _review(product, days_ago: int, **fields):
    return ReviewFactory(
        product=product, created_at=timezone.now() - dt.timedelta(days=days_ago), **fields
    )


@pytest.fixture
def bottle_reviews(bottle):
    """Four English reviews: two complaints (leaking lid, late delivery), two praises."""
    return [
        _review(bottle, 1, rating=1, title="Leaks", body="The lid leaks water into my bag."),
        _review(bottle, 2, rating=2, title="", body="Delivery was two weeks late."),
        _review(bottle, 3, rating=5, title="Cold", body="Keeps water cold all day long."),
        _review(bottle, 4, rating=4, title="", body="Sturdy steel, survived a drop."),
    ]


@pytest.fixture
def analysed_reviews(bottle_reviews):
    """The same reviews with analyses and aspect mentions."""
    leak, late, cold, sturdy = bottle_reviews
    analyses = [
        ReviewAnalysisFactory(review=leak, sentiment="negative", sentiment_score=0.05),
        ReviewAnalysisFactory(review=late, sentiment="negative", sentiment_score=0.2),
        ReviewAnalysisFactory(review=cold, sentiment="positive", sentiment_score=0.95),
        ReviewAnalysisFactory(review=sturdy, sentiment="positive", sentiment_score=0.9),
    ]
    mention(analyses[0], "quality", "negative", "The lid leaks water")
    mention(analyses[1], "shipping", "negative", "Delivery was two weeks late")
    mention(analyses[2], "function", "positive", "Keeps water cold all day long")
    mention(analyses[3], "quality", "positive", "Sturdy steel")
    return bottle_reviews


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks of the block's commit (job dispatch, eager tasks) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def use_model(responder):
    """Route the LLM door to a fake model answering with `responder(request)`."""
    return llm.use_backend(llm.FakeBackend(responder=responder))


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
