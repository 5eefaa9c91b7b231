"""Product detail: the product's facts, stock, charts and reviews; nobody else's product."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.selectors import merchant_today
from tests.factories import (
    DailySalesFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
    StockSnapshotFactory,
)


def detail(product):
    return reverse("product-detail", kwargs={"product_id": product.pk})


@pytest.fixture
def bottle(merchant):
    product = ProductFactory(
        merchant=merchant,
        sku="B-750",
        title="Insulated bottle 750 ml",
        attributes={"material": "stainless steel", "colours": ["black", "sage"]},
        price=Decimal("24.90"),
        cost=None,
        lead_time_days=21,
        moq=200,
        case_pack=24,
    )
    StockLevelFactory(product=product, on_hand=1234, inbound=480)
    return product


@pytest.mark.django_db
def test_the_detail_page_shows_attributes_supply_terms_and_stock(owner_client, bottle):
    html = owner_client.get(detail(bottle)).content.decode()
    assert "Insulated bottle 750 ml" in html
    assert "stainless steel" in html
    assert "black, sage" in html
    assert "$24.90" in html
    assert "not recorded" in html  # no unit cost
    assert "21 days" in html
    assert ">200<" in html and ">24<" in html  # MOQ and case pack
    assert "1,234" in html and ">480<" in html


@pytest.mark.django_db
def test_the_detail_page_draws_sales_and_stock_history(owner_client, bottle, merchant):
    today = merchant_today(merchant=merchant)
    DailySalesFactory(product=bottle, date=today - dt.timedelta(days=3), units=7)
    StockSnapshotFactory(product=bottle, date=today - dt.timedelta(days=1), on_hand=1300)
    response = owner_client.get(detail(bottle))
    html = response.content.decode()
    assert 'data-chart="product-sales-data"' in html
    assert 'data-chart="product-stock-data"' in html
    assert b"plotly.min.js" in response.content
    assert response.context["sales_chart"]["units"][-4] == 7
    assert len(response.context["sales_chart"]["x"]) == 365
    assert response.context["stock_chart"]["on_hand"] == [1300]


@pytest.mark.django_db
def test_a_product_without_history_says_so_instead_of_an_empty_chart(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    html = owner_client.get(detail(product)).content.decode()
    assert "No sales recorded in the last 365 days." in html
    assert "No stock level recorded for this product." in html
    assert "No reviews for this product yet." in html
    assert "plotly.min.js" not in html


@pytest.mark.django_db
def test_another_merchants_product_is_not_found(owner_client, other_merchant):
    theirs = ProductFactory(merchant=other_merchant)
    assert owner_client.get(detail(theirs)).status_code == 404


@pytest.mark.django_db
def test_reviews_come_ten_at_a_time_with_a_load_more_link(owner_client, bottle):
    for day in range(12):
        ReviewFactory(
            product=bottle,
            title=f"Review number {day:02d}",
            created_at=dt.datetime(2025, 1, 1 + day, tzinfo=dt.UTC),
        )
    html = owner_client.get(detail(bottle)).content.decode()
    assert "Review number 11" in html and "Review number 02" in html
    assert "Review number 01" not in html
    assert 'hx-get="?reviews_page=2"' in html
    more = owner_client.get(detail(bottle), {"reviews_page": 2}, headers={"HX-Request": "true"})
    more_html = more.content.decode()
    assert "<html" not in more_html
    assert "Review number 01" in more_html and "Review number 00" in more_html
    assert "Review number 02" not in more_html
    assert "reviews_page=3" not in more_html


@pytest.mark.django_db
def test_the_load_more_link_works_without_javascript(owner_client, bottle):
    for _ in range(11):
        ReviewFactory(product=bottle)
    response = owner_client.get(detail(bottle), {"reviews_page": 2})
    assert b"<html" in response.content
    assert len(response.context["reviews"]) == 1
