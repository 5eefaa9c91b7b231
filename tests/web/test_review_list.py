"""Review list: filters by rating, language, product SKU and text; only the merchant's own."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, ReviewFactory

URL = reverse("review-list")


def titles(response):
    return sorted(review.title for review in response.context["reviews"])


@pytest.fixture
def reviews(merchant, other_merchant):
    kettle = ProductFactory(merchant=merchant, sku="K-100")
    bottle = ProductFactory(merchant=merchant, sku="B-200")
    ReviewFactory(product=kettle, rating=1, language="en", title="leaks", body="The lid leaks.")
    ReviewFactory(product=kettle, rating=5, language="zh", title="很好", body="保温效果很好")
    ReviewFactory(product=bottle, rating=4, language="en", title="solid", body="Solid and cold.")
    ReviewFactory(product=bottle, rating=None, language="en", title="unrated", body="No stars.")
    theirs = ProductFactory(merchant=other_merchant, sku="K-100")
    ReviewFactory(product=theirs, rating=1, title="their review", body="The lid leaks too.")
    return {"kettle": kettle, "bottle": bottle}


@pytest.mark.django_db
def test_the_list_shows_only_the_merchants_reviews_with_product_links(owner_client, reviews):
    response = owner_client.get(URL)
    assert titles(response) == ["leaks", "solid", "unrated", "很好"]
    html = response.content.decode()
    assert "their review" not in html
    kettle = reviews["kettle"]
    assert f'href="{reverse("product-detail", kwargs={"product_id": kettle.pk})}"' in html
    assert "source: shopify" in html


@pytest.mark.django_db
def test_filters_by_rating(owner_client, reviews):
    assert titles(owner_client.get(URL, {"rating": "1"})) == ["leaks"]


@pytest.mark.django_db
def test_filters_by_language(owner_client, reviews):
    assert titles(owner_client.get(URL, {"language": "zh"})) == ["很好"]


@pytest.mark.django_db
def test_filters_by_product_sku(owner_client, reviews):
    assert titles(owner_client.get(URL, {"sku": "b-2"})) == ["solid", "unrated"]


@pytest.mark.django_db
def test_searches_title_and_text(owner_client, reviews):
    assert titles(owner_client.get(URL, {"q": "lid leaks"})) == ["leaks"]
    assert titles(owner_client.get(URL, {"q": "保温"})) == ["很好"]


@pytest.mark.django_db
def test_a_bad_rating_is_reported_and_ignored(owner_client, reviews):
    response = owner_client.get(URL, {"rating": "9"})
    assert response.status_code == 200
    assert "rating" in response.context["form"].errors
    assert len(titles(response)) == 4


@pytest.mark.django_db
def test_reviews_are_paginated(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    for _ in range(51):
        ReviewFactory(product=product)
    assert len(owner_client.get(URL).context["reviews"]) == 50
    assert len(owner_client.get(URL, {"page": 2}).context["reviews"]) == 1


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_results(owner_client, reviews):
    response = owner_client.get(URL, {"rating": "4"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert b"solid" in response.content
