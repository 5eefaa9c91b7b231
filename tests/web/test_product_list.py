"""Product list: search, filters, sort, pagination, htmx swaps and bounded queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProductFactory, StockLevelFactory

URL = reverse("product-list")


def skus(response):
    return [product.sku for product in response.context["products"]]


@pytest.fixture
def catalog(merchant, other_merchant):
    kettle = ProductFactory(
        merchant=merchant,
        sku="K-100",
        title="Glass kettle",
        category="Kitchen",
        brand="Brewmaster",
        price=Decimal("39.00"),
    )
    bottle = ProductFactory(
        merchant=merchant,
        sku="B-200",
        title="Steel bottle",
        category="Drinkware",
        brand="Acme",
        price=Decimal("19.00"),
    )
    mug = ProductFactory(
        merchant=merchant,
        sku="M-300",
        title="Travel mug",
        category="Drinkware",
        brand="Acme",
        price=Decimal("12.00"),
        status="discontinued",
    )
    StockLevelFactory(product=kettle, on_hand=5)
    StockLevelFactory(product=bottle, on_hand=50)
    ProductFactory(merchant=other_merchant, sku="K-999", title="Their glass kettle")
    return {"kettle": kettle, "bottle": bottle, "mug": mug}


@pytest.mark.django_db
def test_the_list_shows_only_the_active_merchants_products(owner_client, catalog):
    response = owner_client.get(URL)
    assert skus(response) == ["B-200", "K-100", "M-300"]
    assert b"Their glass kettle" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [("k-1", ["K-100"]), ("steel", ["B-200"]), ("acme", ["B-200", "M-300"]), ("nothing", [])],
)
def test_search_matches_sku_title_or_brand(owner_client, catalog, query, expected):
    assert skus(owner_client.get(URL, {"q": query})) == expected


@pytest.mark.django_db
def test_filters_by_category_and_status(owner_client, catalog):
    assert skus(owner_client.get(URL, {"category": "Drinkware"})) == ["B-200", "M-300"]
    assert skus(owner_client.get(URL, {"status": "discontinued"})) == ["M-300"]
    both = owner_client.get(URL, {"category": "Drinkware", "status": "active"})
    assert skus(both) == ["B-200"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("sku", ["B-200", "K-100", "M-300"]),
        ("-sku", ["M-300", "K-100", "B-200"]),
        ("title", ["K-100", "B-200", "M-300"]),
        ("price", ["M-300", "B-200", "K-100"]),
        ("-price", ["K-100", "B-200", "M-300"]),
        ("stock", ["M-300", "K-100", "B-200"]),  # no stock level first
        ("-stock", ["B-200", "K-100", "M-300"]),
    ],
)
def test_sorts_by_the_chosen_column(owner_client, catalog, sort, expected):
    assert skus(owner_client.get(URL, {"sort": sort})) == expected


@pytest.mark.django_db
def test_sorts_by_last_update(owner_client, catalog):
    catalog["mug"].title = "Travel mug, 350 ml"
    catalog["mug"].save()
    assert skus(owner_client.get(URL, {"sort": "-updated"}))[0] == "M-300"


@pytest.mark.django_db
def test_bad_filter_values_are_reported_and_ignored_not_a_crash(owner_client, catalog):
    response = owner_client.get(URL, {"status": "bogus", "sort": "password", "page": "x"})
    assert response.status_code == 200
    assert skus(response) == ["B-200", "K-100", "M-300"]
    assert response.context["form"].errors.keys() == {"status", "sort"}
    assert b"is-invalid" in response.content


@pytest.mark.django_db
def test_pages_hold_fifty_products(owner_client, merchant):
    for number in range(51):
        ProductFactory(merchant=merchant, sku=f"P-{number:03d}")
    first = owner_client.get(URL)
    assert len(skus(first)) == 50
    assert 'href="?page=2"' in first.content.decode()
    second = owner_client.get(URL, {"page": 2})
    assert skus(second) == ["P-050"]
    past_the_end = owner_client.get(URL, {"page": 99})
    assert skus(past_the_end) == ["P-050"]


@pytest.mark.django_db
def test_pagination_links_keep_the_filters(owner_client, merchant):
    for number in range(51):
        ProductFactory(merchant=merchant, sku=f"P-{number:03d}", category="Kitchen")
    html = owner_client.get(URL, {"category": "Kitchen", "sort": "-sku"}).content.decode()
    assert 'href="?category=Kitchen&amp;sort=-sku&amp;page=2"' in html


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_table_and_the_url_is_pushed(owner_client, catalog):
    response = owner_client.get(URL, {"q": "kettle"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Glass kettle" in html
    assert "HX-Request" in response["Vary"]
    full = owner_client.get(URL).content.decode()
    assert 'hx-push-url="true"' in full
    assert 'hx-target="#product-results"' in full


@pytest.mark.django_db
def test_an_htmx_history_restore_gets_the_whole_page(owner_client, catalog):
    response = owner_client.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in response.content


@pytest.mark.django_db
def test_the_list_runs_the_same_number_of_queries_for_3_or_50_products(owner_client, merchant):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(URL).status_code == 200
        return len(queries)

    for _ in range(3):
        StockLevelFactory(product=ProductFactory(merchant=merchant))
    few = count()
    for _ in range(47):
        StockLevelFactory(product=ProductFactory(merchant=merchant))
    assert count() == few
