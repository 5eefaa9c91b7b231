import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from products.models import Product
from products.serializers import ProductInputSerializer
from products.services import PRODUCT_FIELDS
from tests.factories import ProductFactory, StockLevelFactory

from .support import error_of

LIST = reverse("api:product-list")


def detail(product_id: int) -> str:
    return reverse("api:product-detail", kwargs={"product_id": product_id})


def skus(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["sku"] for row in response.json()["results"]]


NEW_PRODUCT = {
    "sku": "BOTTLE-750",
    "title": "Insulated bottle 750 ml",
    "category": "Drinkware",
    "brand": "Acme",
    "attributes": {"material": "stainless steel", "capacity": "750 ml"},
    "price": "24.90",
    "cost": "9.50",
    "lead_time_days": 21,
    "moq": 50,
    "case_pack": 12,
}


@pytest.mark.django_db
class TestCreate:
    def test_an_owner_creates_a_product_in_the_merchants_currency(self, api, merchant):
        merchant.currency = "CNY"
        merchant.save()
        response = api.post(LIST, NEW_PRODUCT, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        product = Product.objects.get(pk=body["id"])
        assert product.merchant == merchant
        assert product.currency == "CNY"
        assert product.attributes == {"material": "stainless steel", "capacity": "750 ml"}
        assert body["price"] == "24.90"
        assert body["on_hand"] is None and body["inbound"] is None

    def test_a_duplicate_sku_is_a_400_on_the_sku_field(self, api, merchant):
        ProductFactory(merchant=merchant, sku="BOTTLE-750")
        response = api.post(LIST, NEW_PRODUCT, format="json")
        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "invalid"
        assert "sku" in error["fields"]
        assert Product.objects.filter(merchant=merchant).count() == 1

    def test_the_same_sku_is_free_for_another_merchant(self, api, merchant, other_merchant):
        ProductFactory(merchant=other_merchant, sku="BOTTLE-750")
        assert api.post(LIST, NEW_PRODUCT, format="json").status_code == 201

    def test_missing_and_invalid_fields_are_listed_by_name(self, api):
        response = api.post(
            LIST,
            {"title": "", "price": "-1", "attributes": ["not", "an", "object"], "status": "x"},
            format="json",
        )
        assert response.status_code == 400
        fields = error_of(response)["fields"]
        assert {"sku", "title", "price", "attributes", "status"} <= set(fields)
        assert all(isinstance(messages, list) for messages in fields.values())

    def test_an_unknown_currency_code_is_refused(self, api):
        response = api.post(LIST, {**NEW_PRODUCT, "currency": "dollars"}, format="json")
        assert response.status_code == 400
        assert "currency" in error_of(response)["fields"]

    def test_a_viewer_may_not_create_products(self, viewer_api, merchant):
        response = viewer_api.post(LIST, NEW_PRODUCT, format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
        assert not Product.objects.exists()

    def test_an_anonymous_caller_gets_401(self, anonymous_api):
        response = anonymous_api.post(LIST, NEW_PRODUCT, format="json")
        assert response.status_code == 401
        assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.django_db
class TestRetrieveAndUpdate:
    def test_a_product_comes_with_its_current_stock(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        StockLevelFactory(product=product, on_hand=37, inbound=120)
        body = api.get(detail(product.pk)).json()
        assert body["sku"] == product.sku
        assert (body["on_hand"], body["inbound"]) == (37, 120)

    def test_patch_changes_only_the_fields_sent(self, api, merchant):
        product = ProductFactory(merchant=merchant, title="Old", price=Decimal("10.00"))
        response = api.patch(detail(product.pk), {"price": "12.50"}, format="json")
        assert response.status_code == 200, response.content
        product.refresh_from_db()
        assert product.price == Decimal("12.50")
        assert product.title == "Old"

    def test_put_needs_the_required_fields(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.put(detail(product.pk), {"title": "Renamed"}, format="json")
        assert response.status_code == 400
        assert {"sku", "price"} <= set(error_of(response)["fields"])

    def test_put_replaces_the_fields_sent(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        payload = {**NEW_PRODUCT, "status": "discontinued"}
        response = api.put(detail(product.pk), payload, format="json")
        assert response.status_code == 200, response.content
        product.refresh_from_db()
        assert (product.sku, product.status, product.moq) == ("BOTTLE-750", "discontinued", 50)

    def test_a_product_may_keep_its_own_sku(self, api, merchant):
        product = ProductFactory(merchant=merchant, sku="KEEP-1")
        response = api.patch(detail(product.pk), {"sku": "KEEP-1"}, format="json")
        assert response.status_code == 200

    def test_renaming_to_a_taken_sku_is_a_400_on_sku(self, api, merchant):
        ProductFactory(merchant=merchant, sku="TAKEN")
        product = ProductFactory(merchant=merchant)
        response = api.patch(detail(product.pk), {"sku": "TAKEN"}, format="json")
        assert response.status_code == 400
        assert "sku" in error_of(response)["fields"]

    def test_a_viewer_reads_but_may_not_update(self, viewer_api, merchant):
        product = ProductFactory(merchant=merchant, title="Same")
        assert viewer_api.get(detail(product.pk)).status_code == 200
        response = viewer_api.patch(detail(product.pk), {"title": "Changed"}, format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
        product.refresh_from_db()
        assert product.title == "Same"

    def test_another_merchants_product_is_a_404_to_read_and_to_write(self, api, other_merchant):
        theirs = ProductFactory(merchant=other_merchant, title="Theirs")
        for response in (
            api.get(detail(theirs.pk)),
            api.patch(detail(theirs.pk), {"title": "Mine now"}, format="json"),
            api.put(detail(theirs.pk), NEW_PRODUCT, format="json"),
        ):
            assert response.status_code == 404
            assert error_of(response)["code"] == "not_found"
        theirs.refresh_from_db()
        assert theirs.title == "Theirs"

    def test_delete_is_not_offered(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.delete(detail(product.pk))
        assert response.status_code == 405
        assert error_of(response)["code"] == "method_not_allowed"
        assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.django_db
class TestListFiltersAndOrdering:
    @pytest.fixture
    def catalog(self, merchant, other_merchant):
        ProductFactory(
            merchant=merchant, sku="A-1", title="Kettle", brand="Acme", category="Kitchen",
            price=Decimal("30.00"),
        )  # fmt: skip
        ProductFactory(
            merchant=merchant, sku="B-2", title="Bottle", brand="Zeta", category="Drinkware",
            price=Decimal("12.00"), status="draft",
        )  # fmt: skip
        ProductFactory(
            merchant=merchant, sku="C-3", title="Mug", brand="acme", category="Drinkware",
            price=Decimal("8.00"),
        )  # fmt: skip
        ProductFactory(merchant=other_merchant, sku="Z-9", title="Kettle", brand="Acme")

    def test_the_list_holds_only_the_merchants_products(self, api, catalog):
        response = api.get(LIST)
        assert response.json()["count"] == 3
        assert skus(response) == ["A-1", "B-2", "C-3"]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"category": "Drinkware"}, ["B-2", "C-3"]),
            ({"status": "draft"}, ["B-2"]),
            ({"brand": "ACME"}, ["A-1", "C-3"]),
            ({"price_min": "10", "price_max": "30"}, ["A-1", "B-2"]),
            ({"sku": "C-3"}, ["C-3"]),
            ({"search": "kett"}, ["A-1"]),
            ({"search": "zeta"}, ["B-2"]),
        ],
    )
    def test_filters_and_search_narrow_the_list(self, api, catalog, params, expected):
        assert skus(api.get(LIST, params)) == expected

    @pytest.mark.parametrize(
        ("ordering", "expected"),
        [
            ("price", ["C-3", "B-2", "A-1"]),
            ("-price", ["A-1", "B-2", "C-3"]),
            ("title", ["B-2", "A-1", "C-3"]),
            ("-sku", ["C-3", "B-2", "A-1"]),
        ],
    )
    def test_the_list_orders_by_the_requested_field(self, api, catalog, ordering, expected):
        assert skus(api.get(LIST, {"ordering": ordering})) == expected

    def test_updated_since_keeps_recently_changed_products(self, api, merchant):
        old = ProductFactory(merchant=merchant, sku="OLD")
        ProductFactory(merchant=merchant, sku="NEW")
        long_ago = timezone.now() - dt.timedelta(days=30)
        Product.objects.filter(pk=old.pk).update(updated_at=long_ago)
        since = (timezone.now() - dt.timedelta(days=1)).isoformat()
        assert skus(api.get(LIST, {"updated_since": since})) == ["NEW"]

    def test_a_malformed_filter_value_is_a_400_on_that_parameter(self, api, catalog):
        response = api.get(LIST, {"price_min": "cheap", "status": "gone"})
        assert response.status_code == 400
        assert {"price_min", "status"} <= set(error_of(response)["fields"])

    def test_pages_are_bounded_and_numbered(self, api, merchant):
        ProductFactory.create_batch(7, merchant=merchant)
        first = api.get(LIST, {"page_size": 3}).json()
        assert first["count"] == 7 and len(first["results"]) == 3
        assert first["next"] and first["previous"] is None
        last = api.get(LIST, {"page_size": 3, "page": 3}).json()
        assert len(last["results"]) == 1 and last["next"] is None
        response = api.get(LIST, {"page_size": 3, "page": 4})
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"

    def test_page_size_is_capped_at_500(self, api, merchant):
        Product.objects.bulk_create(
            Product(merchant=merchant, sku=f"BULK-{n:04d}", title="Bulk", price=1)
            for n in range(501)
        )
        body = api.get(LIST, {"page_size": 100000}).json()
        assert body["count"] == 501
        assert len(body["results"]) == 500

    def test_a_product_without_a_stock_count_shows_null_stock(self, api, merchant):
        ProductFactory(merchant=merchant)
        row = api.get(LIST).json()["results"][0]
        assert row["on_hand"] is None and row["inbound"] is None


def test_the_input_serializer_offers_exactly_the_fields_the_service_accepts():
    assert set(ProductInputSerializer.Meta.fields) == PRODUCT_FIELDS
