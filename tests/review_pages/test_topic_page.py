"""A complaint topic's page: label, terms, weekly trend and all its reviews, paged."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

from .factories import TopicFactory, analysed_review


def url(topic):
    return reverse("review-topic", kwargs={"topic_id": topic.pk})


@pytest.mark.django_db
def test_the_topic_page_shows_label_terms_trend_and_its_reviews(owner_client, catalogue):
    topic = catalogue["topic"]
    response = owner_client.get(url(topic))
    assert response.status_code == 200
    html = response.content.decode()
    assert "lid leaks water" in html
    for term in ("lid", "leaks", "water"):
        assert f">{term}</a>" in html
    assert sorted(review.title for review in response.context["reviews"]) == ["drips", "leaks"]
    assert "solid" not in html and "their review" not in html
    assert "typical example" in html
    chart = response.context["trend_chart"]
    assert chart["x"] == ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]
    assert chart["counts"] == [0, 1, 0, 1]
    assert "plotly.min.js" in html
    inbox = f"{reverse('review-list')}?topic={topic.pk}"
    assert f'href="{inbox}"' in html


@pytest.mark.django_db
def test_the_topic_reviews_are_paged_and_htmx_gets_only_the_results(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    topic = TopicFactory(product=product, size=30)
    for n in range(30):
        analysed_review(product, sentiment="negative", topic=topic, title=f"complaint {n}")
    first = owner_client.get(url(topic))
    assert len(first.context["reviews"]) == 25
    second = owner_client.get(url(topic), {"page": 2}, headers={"HX-Request": "true"})
    assert len(second.context["reviews"]) == 5
    assert "<html" not in second.content.decode()


@pytest.mark.django_db
def test_a_topic_without_trend_or_reviews_still_renders(owner_client, merchant):
    topic = TopicFactory(product=ProductFactory(merchant=merchant), trend={}, terms=[])
    response = owner_client.get(url(topic))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No weekly counts recorded for this topic yet." in html
    assert "No review belongs to this topic any more" in html
    assert "plotly.min.js" not in html


@pytest.mark.django_db
def test_a_category_topic_names_its_category(owner_client, merchant):
    topic = TopicFactory(product=None, merchant=merchant, category="Drinkware", label="dents")
    html = owner_client.get(url(topic)).content.decode()
    assert "Complaints across the category Drinkware" in html


@pytest.mark.django_db
def test_another_merchants_topic_is_a_404_like_a_missing_one(owner_client, catalogue):
    theirs = TopicFactory(product=catalogue["theirs"], label="their topic")
    assert owner_client.get(url(theirs)).status_code == 404
    missing = reverse("review-topic", kwargs={"topic_id": 987654321})
    assert owner_client.get(missing).status_code == 404


@pytest.mark.django_db
def test_a_viewer_can_read_a_topic(viewer_client, catalogue):
    assert viewer_client.get(url(catalogue["topic"])).status_code == 200
