import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from forecasting.models import DailySales
from forecasting.serializers import MAX_SALES_ROWS_PER_REQUEST
from tests.factories import DailySalesFactory, ProductFactory

from .support import error_of

LIST = reverse("api:sales-list")


def detail(sales_id: int) -> str:
    return reverse("api:sales-detail", kwargs={"sales_id": sales_id})


def row(product, day: str, units: int = 2, revenue: str = "49.80", **extra) -> dict:
    return {"product": product.pk, "date": day, "units": units, "revenue": revenue, **extra}


@pytest.mark.django_db
class TestCreate:
    def test_one_row_is_stored_and_returned(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.post(LIST, row(product, "2025-06-01", on_promotion=True), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        sales = DailySales.objects.get(pk=body["id"])
        assert (sales.merchant, sales.product, sales.units) == (merchant, product, 2)
        assert sales.on_promotion is True
        assert (body["sku"], body["revenue"], body["date"]) == (
            product.sku,
            "49.80",
            "2025-06-01",
        )

    def test_an_array_of_rows_is_written_in_one_request(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        rows = [row(product, f"2025-06-{day:02d}", units=day) for day in range(1, 31)]
        response = api.post(LIST, rows, format="json")
        assert response.status_code == 201, response.content
        assert response.json() == {"written": 30}
        assert DailySales.objects.filter(product=product).count() == 30
        assert DailySales.objects.get(product=product, date="2025-06-17").units == 17

    def test_a_row_for_an_existing_day_replaces_it(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        DailySalesFactory(product=product, date=dt.date(2025, 6, 1), units=1)
        response = api.post(LIST, [row(product, "2025-06-01", units=9)], format="json")
        assert response.status_code == 201
        assert DailySales.objects.get(product=product).units == 9

    def test_one_invalid_row_writes_nothing_and_is_named_by_its_index(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        rows = [
            row(product, "2025-06-01"),
            row(product, "2025-06-02", units=-3),
            row(product, "2025-06-03"),
            {"product": product.pk, "date": "June 4th", "units": 1, "revenue": "x"},
        ]
        response = api.post(LIST, rows, format="json")
        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "invalid"
        assert [item["index"] for item in error["items"]] == [1, 3]
        assert set(error["items"][0]["fields"]) == {"units"}
        assert set(error["items"][1]["fields"]) == {"date", "revenue"}
        assert not DailySales.objects.exists()

    def test_the_same_product_and_day_twice_in_one_request_is_refused(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        rows = [row(product, "2025-06-01"), row(product, "2025-06-01", units=5)]
        response = api.post(LIST, rows, format="json")
        assert response.status_code == 400
        assert error_of(response)["items"] == [
            {"index": 1, "fields": {"date": ["Item 0 already has this product and date."]}}
        ]
        assert not DailySales.objects.exists()

    def test_another_merchants_product_does_not_exist_for_this_one(
        self, api, merchant, other_merchant
    ):
        theirs = ProductFactory(merchant=other_merchant)
        single = api.post(LIST, row(theirs, "2025-06-01"), format="json")
        assert single.status_code == 400
        assert error_of(single)["fields"]["product"] == [f'Product "{theirs.pk}" does not exist.']
        mine = ProductFactory(merchant=merchant)
        bulk = api.post(LIST, [row(mine, "2025-06-01"), row(theirs, "2025-06-01")], format="json")
        assert bulk.status_code == 400
        assert error_of(bulk)["items"] == [
            {"index": 1, "fields": {"product": [f'Product "{theirs.pk}" does not exist.']}}
        ]
        assert not DailySales.objects.exists()

    def test_an_empty_or_oversized_array_is_refused(self, api, merchant, monkeypatch):
        assert api.post(LIST, [], format="json").status_code == 400
        product = ProductFactory(merchant=merchant)
        too_many = [
            row(product, (dt.date(2020, 1, 1) + dt.timedelta(days=n)).isoformat())
            for n in range(MAX_SALES_ROWS_PER_REQUEST + 1)
        ]
        response = api.post(LIST, too_many, format="json")
        assert response.status_code == 400
        assert "non_field_errors" in error_of(response)["fields"]
        assert not DailySales.objects.exists()

    def test_a_body_that_is_neither_object_nor_array_is_a_400(self, api):
        response = api.post(LIST, "42", content_type="application/json")
        assert response.status_code == 400
        assert error_of(response)["code"] == "invalid"

    def test_a_viewer_may_not_write_sales(self, viewer_api, merchant):
        product = ProductFactory(merchant=merchant)
        response = viewer_api.post(LIST, row(product, "2025-06-01"), format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
        assert not DailySales.objects.exists()


@pytest.mark.django_db
class TestRetrieveAndUpdate:
    def test_a_row_is_read_by_id(self, api, merchant):
        sales = DailySalesFactory(product=ProductFactory(merchant=merchant), units=4)
        body = api.get(detail(sales.pk)).json()
        assert (body["id"], body["units"], body["product"]) == (sales.pk, 4, sales.product_id)

    def test_patch_changes_the_figures_but_not_the_day(self, api, merchant):
        sales = DailySalesFactory(
            product=ProductFactory(merchant=merchant), date=dt.date(2025, 5, 5), units=4
        )
        response = api.patch(
            detail(sales.pk), {"units": 6, "date": "2020-01-01", "product": 999}, format="json"
        )
        assert response.status_code == 200, response.content
        sales.refresh_from_db()
        assert (sales.units, sales.date, sales.revenue) == (
            6,
            dt.date(2025, 5, 5),
            Decimal("74.70"),
        )
        assert DailySales.objects.count() == 1

    def test_put_needs_units_and_revenue(self, api, merchant):
        sales = DailySalesFactory(product=ProductFactory(merchant=merchant))
        response = api.put(detail(sales.pk), {"on_promotion": True}, format="json")
        assert response.status_code == 400
        assert set(error_of(response)["fields"]) == {"units", "revenue"}
        ok = api.put(detail(sales.pk), {"units": 1, "revenue": "9.99"}, format="json")
        assert ok.status_code == 200
        assert ok.json()["revenue"] == "9.99"

    def test_another_merchants_row_is_a_404(self, api, other_merchant):
        theirs = DailySalesFactory(product=ProductFactory(merchant=other_merchant), units=4)
        assert api.get(detail(theirs.pk)).status_code == 404
        response = api.patch(detail(theirs.pk), {"units": 0}, format="json")
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.units == 4

    def test_a_viewer_may_not_change_a_row(self, viewer_api, merchant):
        sales = DailySalesFactory(product=ProductFactory(merchant=merchant), units=4)
        response = viewer_api.patch(detail(sales.pk), {"units": 0}, format="json")
        assert response.status_code == 403
        sales.refresh_from_db()
        assert sales.units == 4


@pytest.mark.django_db
class TestList:
    @pytest.fixture
    def history(self, merchant, other_merchant):
        kettle = ProductFactory(merchant=merchant, sku="KETTLE")
        mug = ProductFactory(merchant=merchant, sku="MUG")
        for day in (1, 2, 3):
            DailySalesFactory(product=kettle, date=dt.date(2025, 7, day), units=day)
        DailySalesFactory(product=mug, date=dt.date(2025, 7, 2), units=10, on_promotion=True)
        DailySalesFactory(product=ProductFactory(merchant=other_merchant), units=99)
        return kettle, mug

    @staticmethod
    def keys(response) -> list[tuple[str, str]]:
        assert response.status_code == 200, response.content
        return [(r["sku"], r["date"]) for r in response.json()["results"]]

    def test_the_list_is_the_merchants_rows_newest_first(self, api, history):
        body = api.get(LIST).json()
        assert body["count"] == 4
        assert [r["date"] for r in body["results"]] == [
            "2025-07-03",
            "2025-07-02",
            "2025-07-02",
            "2025-07-01",
        ]

    def test_filters_by_product_sku_dates_and_promotion(self, api, history):
        kettle, _mug = history
        assert len(self.keys(api.get(LIST, {"product": kettle.pk}))) == 3
        assert self.keys(api.get(LIST, {"sku": "MUG"})) == [("MUG", "2025-07-02")]
        assert self.keys(api.get(LIST, {"on_promotion": "true"})) == [("MUG", "2025-07-02")]
        in_range = api.get(LIST, {"date_from": "2025-07-02", "date_to": "2025-07-02"})
        assert sorted(self.keys(in_range)) == [("KETTLE", "2025-07-02"), ("MUG", "2025-07-02")]

    def test_ordering_by_date_ascending(self, api, history):
        kettle, _mug = history
        dates = [
            r["date"]
            for r in api.get(LIST, {"product": kettle.pk, "ordering": "date"}).json()["results"]
        ]
        assert dates == ["2025-07-01", "2025-07-02", "2025-07-03"]
