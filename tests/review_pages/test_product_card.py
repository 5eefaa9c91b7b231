"""The product page's review card links to the product's review insights."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory


@pytest.mark.django_db
def test_the_product_page_shows_the_review_card_with_its_numbers(owner_client, catalogue):
    kettle = catalogue["kettle"]
    html = owner_client.get(reverse("product-detail", kwargs={"product_id": kettle.pk})).content
    html = html.decode()
    assert 'data-reviews="3"' in html
    assert 'data-negative="2"' in html
    assert "(67%)" in html
    insights = reverse("review-product-insights", kwargs={"product_id": kettle.pk})
    assert f'href="{insights}"' in html


@pytest.mark.django_db
def test_a_product_without_reviews_says_so_on_its_card(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    html = owner_client.get(reverse("product-detail", kwargs={"product_id": product.pk}))
    assert "review-product-card" in html.content.decode()
    assert "No reviews for this product yet." in html.content.decode()
