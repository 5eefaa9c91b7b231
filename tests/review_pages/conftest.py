"""Roles and a small analysed catalogue shared by the review page tests."""

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import MembershipFactory, ProductFactory, ReviewFactory, UserFactory

from .factories import TopicFactory, analysed_review


@pytest.fixture
def role_client(client, merchant):
    """A client logged in as a member of Alpha with the given role."""

    def login(role: str):
        user = UserFactory(username=f"{role}-member")
        MembershipFactory(user=user, merchant=merchant, role=role)
        client.force_login(user)
        return client

    return login


@pytest.fixture
def manager_client(role_client):
    return role_client(Role.MANAGER)


@pytest.fixture
def analyst_client(role_client):
    return role_client(Role.ANALYST)


@pytest.fixture
def catalogue(merchant, other_merchant):
    """Alpha's kettle and bottle with analysed reviews in both languages, one waiting for
    analysis, a replied one, a complaint topic; Beta's look-alike review."""
    kettle = ProductFactory(merchant=merchant, sku="K-100", title="Glass kettle")
    bottle = ProductFactory(merchant=merchant, sku="B-200", title="Steel bottle")
    topic = TopicFactory(product=kettle, label="lid leaks water", size=2)
    leaks = analysed_review(
        kettle,
        sentiment="negative",
        aspects=(("quality", "negative"), ("shipping", "positive")),
        topic=topic,
        rating=1,
        title="leaks",
        body="The lid leaks. Shipping was fast though.",
        days_ago=3,
    )
    drips = analysed_review(
        kettle,
        sentiment="negative",
        aspects=(("quality", "negative"),),
        topic=topic,
        rating=2,
        title="drips",
        body="Drips from the lid when pouring.",
        days_ago=10,
    )
    topic.example_review_ids = [leaks.pk, drips.pk]
    topic.trend = {
        "weeks": ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"],
        "counts": [0, 1, 0, 1],
        "change": 0.0,
    }
    topic.save()
    good = analysed_review(
        kettle,
        sentiment="positive",
        aspects=(("appearance", "positive"),),
        rating=5,
        language="zh",
        title="很好",
        body="保温效果很好,外观漂亮",
        days_ago=2,
    )
    solid = analysed_review(
        bottle,
        sentiment="neutral",
        aspects=(("price_value", "negative"), ("quality", "positive")),
        rating=3,
        title="solid",
        body="Solid and cold, a bit pricey.",
        days_ago=20,
    )
    solid.reply_text = "Thank you!"
    solid.replied_at = timezone.now()
    solid.save()
    waiting = ReviewFactory(product=bottle, rating=None, title="unrated", body="No stars.")
    theirs = ProductFactory(merchant=other_merchant, sku="K-100", title="Their kettle")
    their_review = analysed_review(
        theirs,
        sentiment="negative",
        aspects=(("quality", "negative"),),
        rating=1,
        title="their review",
        body="The lid leaks too.",
    )
    return {
        "kettle": kettle,
        "bottle": bottle,
        "topic": topic,
        "leaks": leaks,
        "drips": drips,
        "good": good,
        "solid": solid,
        "waiting": waiting,
        "theirs": theirs,
        "their_review": their_review,
    }
