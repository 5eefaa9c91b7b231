import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from products.models import StockLevel, StockSnapshot
from tests.factories import ProductFactory, StockLevelFactory, StockSnapshotFactory

from .support import error_of

LIST = reverse("api:stock-list")


def detail(product_id: int) -> str:
    return reverse("api:stock-detail", kwargs={"product_id": product_id})


def history(product_id: int) -> str:
    return reverse("api:stock-history", kwargs={"product_id": product_id})


@pytest.mark.django_db
class TestStockLevels:
    def test_the_list_shows_the_merchants_current_levels_by_sku(
        self, api, merchant, other_merchant
    ):
        StockLevelFactory(product=ProductFactory(merchant=merchant, sku="B"), on_hand=5)
        StockLevelFactory(product=ProductFactory(merchant=merchant, sku="A"), on_hand=50)
        StockLevelFactory(product=ProductFactory(merchant=other_merchant, sku="C"), on_hand=1)
        rows = api.get(LIST).json()["results"]
        assert [(row["sku"], row["on_hand"]) for row in rows] == [("A", 50), ("B", 5)]

    def test_low_stock_and_sku_filters(self, api, merchant):
        low = StockLevelFactory(product=ProductFactory(merchant=merchant, sku="LOW"), on_hand=3)
        StockLevelFactory(product=ProductFactory(merchant=merchant, sku="HIGH"), on_hand=300)
        assert [r["sku"] for r in api.get(LIST, {"on_hand__lte": 10}).json()["results"]] == ["LOW"]
        assert [r["sku"] for r in api.get(LIST, {"sku": "HIGH"}).json()["results"]] == ["HIGH"]
        by_id = api.get(LIST, {"product": low.product_id}).json()["results"]
        assert [r["product"] for r in by_id] == [low.product_id]

    def test_the_list_orders_by_on_hand(self, api, merchant):
        for sku, on_hand in (("A", 7), ("B", 2), ("C", 9)):
            StockLevelFactory(product=ProductFactory(merchant=merchant, sku=sku), on_hand=on_hand)
        rows = api.get(LIST, {"ordering": "-on_hand"}).json()["results"]
        assert [row["sku"] for row in rows] == ["C", "A", "B"]

    def test_put_sets_the_level_and_writes_todays_snapshot(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        StockLevelFactory(product=product, on_hand=10, inbound=40)
        response = api.put(detail(product.pk), {"on_hand": 25}, format="json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["product"], body["sku"]) == (product.pk, product.sku)
        assert (body["on_hand"], body["inbound"]) == (25, 40)
        snapshot = StockSnapshot.objects.get(product=product)
        assert (snapshot.on_hand, snapshot.inbound, snapshot.date) == (
            25,
            40,
            timezone.localdate(),
        )

    def test_patch_of_a_product_never_counted_starts_from_zero(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        assert api.get(detail(product.pk)).status_code == 404
        response = api.patch(detail(product.pk), {"inbound": 60}, format="json")
        assert response.status_code == 200, response.content
        level = StockLevel.objects.get(product=product)
        assert (level.on_hand, level.inbound) == (0, 60)
        assert api.get(detail(product.pk)).json()["inbound"] == 60

    def test_post_sets_the_level_of_the_product_named_in_the_body(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.post(
            LIST, {"product": product.pk, "on_hand": 12, "inbound": 3}, format="json"
        )
        assert response.status_code == 200, response.content
        assert StockLevel.objects.get(product=product).on_hand == 12
        assert StockSnapshot.objects.filter(product=product).count() == 1

    def test_negative_quantities_are_refused(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.put(detail(product.pk), {"on_hand": -1, "inbound": -5}, format="json")
        assert response.status_code == 400
        assert set(error_of(response)["fields"]) == {"on_hand", "inbound"}
        assert not StockLevel.objects.exists()

    def test_posting_another_merchants_product_says_it_does_not_exist(self, api, other_merchant):
        theirs = ProductFactory(merchant=other_merchant)
        response = api.post(LIST, {"product": theirs.pk, "on_hand": 1}, format="json")
        assert response.status_code == 400
        assert "does not exist" in error_of(response)["fields"]["product"][0]
        assert not StockLevel.objects.exists()

    def test_another_merchants_stock_is_a_404(self, api, other_merchant):
        theirs = StockLevelFactory(product=ProductFactory(merchant=other_merchant), on_hand=8)
        assert api.get(detail(theirs.product_id)).status_code == 404
        response = api.put(detail(theirs.product_id), {"on_hand": 0}, format="json")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
        theirs.refresh_from_db()
        assert theirs.on_hand == 8

    def test_a_viewer_may_read_but_not_set_stock(self, viewer_api, merchant):
        product = ProductFactory(merchant=merchant)
        StockLevelFactory(product=product, on_hand=4)
        assert viewer_api.get(detail(product.pk)).status_code == 200
        for response in (
            viewer_api.put(detail(product.pk), {"on_hand": 99}, format="json"),
            viewer_api.post(LIST, {"product": product.pk, "on_hand": 99}, format="json"),
        ):
            assert response.status_code == 403
            assert error_of(response)["code"] == "permission_denied"
        assert StockLevel.objects.get(product=product).on_hand == 4


@pytest.mark.django_db
class TestStockHistory:
    def test_history_lists_the_products_snapshots_newest_first_within_a_range(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        other = ProductFactory(merchant=merchant)
        start = dt.date(2025, 3, 1)
        for offset in range(5):
            StockSnapshotFactory(
                product=product, date=start + dt.timedelta(days=offset), on_hand=100 - offset
            )
            StockSnapshotFactory(product=other, date=start + dt.timedelta(days=offset))
        response = api.get(
            history(product.pk), {"date_from": "2025-03-02", "date_to": "2025-03-04"}
        )
        assert response.status_code == 200
        assert [(row["date"], row["on_hand"]) for row in response.json()["results"]] == [
            ("2025-03-04", 97),
            ("2025-03-03", 98),
            ("2025-03-02", 99),
        ]
        oldest_first = api.get(history(product.pk), {"ordering": "date"}).json()["results"]
        assert oldest_first[0]["date"] == "2025-03-01"

    def test_another_merchants_history_is_a_404(self, api, other_merchant):
        theirs = StockSnapshotFactory(product=ProductFactory(merchant=other_merchant))
        response = api.get(history(theirs.product_id))
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"

    def test_a_malformed_date_is_a_400(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.get(history(product.pk), {"date_from": "yesterday"})
        assert response.status_code == 400
        assert "date_from" in error_of(response)["fields"]
