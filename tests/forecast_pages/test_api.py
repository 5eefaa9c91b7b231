"""The forecasting API: runs, forecasts, plans, planning settings and calendar days."""

import datetime as dt
from decimal import Decimal

import pytest

from core.selectors import merchant_today
from forecasting.models import CalendarEvent, ForecastRun, PlanningSettings
from tests.api.support import error_of
from tests.factories import DailySalesFactory, ProductFactory

from .factories import (
    CalendarEventFactory,
    ForecastRunFactory,
    InventoryPlanFactory,
    SkuForecastFactory,
    overstock_markdown,
)

API = "/api/v1"


@pytest.fixture
def sales(merchant):
    product = ProductFactory(merchant=merchant, sku="S-1")
    today = merchant_today(merchant=merchant)
    for back in range(1, 15):
        DailySalesFactory(product=product, date=today - dt.timedelta(days=back), units=2)
    return product


# --- Runs ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_posting_a_run_starts_it_and_answers_202_with_the_queued_run(manager_api, merchant, sales):
    response = manager_api.post(f"{API}/forecast-runs/", {}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    run = ForecastRun.objects.get(merchant=merchant)
    assert body["id"] == run.pk and body["status"] == "queued" and body["trigger"] == "api"
    assert body["job"] == run.job_id and body["started_by"] == "maria"
    assert body["page_url"] == f"/forecasting/runs/{run.pk}/"


@pytest.mark.django_db
def test_a_second_run_while_one_is_active_is_a_409_run_active(manager_api, merchant, sales):
    manager_api.post(f"{API}/forecast-runs/", {}, format="json")
    response = manager_api.post(f"{API}/forecast-runs/", {}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "run_active"
    assert ForecastRun.objects.filter(merchant=merchant).count() == 1


@pytest.mark.django_db
def test_a_run_without_sales_is_a_409_no_sales(manager_api):
    response = manager_api.post(f"{API}/forecast-runs/", {}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "no_sales"


@pytest.mark.django_db
def test_a_run_of_another_merchants_products_is_invalid(manager_api, other_merchant, sales):
    theirs = ProductFactory(merchant=other_merchant)
    response = manager_api.post(
        f"{API}/forecast-runs/", {"product_ids": [sales.pk, theirs.pk]}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid" and "product_ids" in error["fields"]
    assert not ForecastRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [{"product_ids": []}, {"product_ids": ["x"]}, {"frequency": "M"}, [1, 2]]
)
def test_malformed_run_requests_are_400(manager_api, sales, body):
    response = manager_api.post(f"{API}/forecast-runs/", body, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@pytest.mark.django_db
def test_a_viewer_may_read_runs_but_not_start_one(viewer_api, merchant, sales):
    ForecastRunFactory(merchant=merchant)
    assert viewer_api.get(f"{API}/forecast-runs/").json()["count"] == 1
    response = viewer_api.post(f"{API}/forecast-runs/", {}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


@pytest.mark.django_db
def test_a_run_reads_with_its_timings_metrics_and_chosen_models(viewer_api, merchant):
    run = ForecastRunFactory(merchant=merchant, chunks_failed=1, error="Chunk 2 failed")
    body = viewer_api.get(f"{API}/forecast-runs/{run.pk}/").json()
    assert body["timings"]["backtest"] == 7.5
    assert body["metrics"]["rmsse"] == 0.734
    assert body["chosen_models"] == {"lgbm": 7, "croston": 2, "seasonal_naive": 1}
    assert body["chunks_failed"] == 1 and body["error"] == "Chunk 2 failed"
    assert body["duration_seconds"] == pytest.approx(14, abs=1)


@pytest.mark.django_db
def test_runs_filter_by_status(viewer_api, merchant):
    ForecastRunFactory(merchant=merchant, status="failed")
    ForecastRunFactory(merchant=merchant)
    body = viewer_api.get(f"{API}/forecast-runs/", {"status": "failed"}).json()
    assert [row["status"] for row in body["results"]] == ["failed"]


# --- Forecasts -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_current_forecasts_list_with_quantiles_dates_and_accuracy(viewer_api, merchant):
    product = ProductFactory(merchant=merchant, sku="A-1")
    old = SkuForecastFactory(product=product, is_current=False)
    current = SkuForecastFactory(product=product, mae=0.4, coverage=0.9)
    body = viewer_api.get(f"{API}/forecasts/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == current.pk != old.pk
    assert row["sku"] == "A-1" and len(row["quantiles"]["0.5"]) == 28
    assert row["dates"][1] == (current.start_date + dt.timedelta(days=1)).isoformat()
    assert row["accuracy"]["summary"] == (
        "Typically off by about 0.4 units a day; the likely range (P10–P90) held 90% of days "
        "in testing."
    )
    assert row["accuracy"]["mase"] == 0.81 and row["model_label"].startswith("gradient")


@pytest.mark.django_db
def test_forecasts_filter_by_product_and_sku(viewer_api, merchant):
    first = SkuForecastFactory(product=ProductFactory(merchant=merchant, sku="A-1"))
    SkuForecastFactory(product=ProductFactory(merchant=merchant, sku="B-2"))
    assert [
        r["sku"] for r in viewer_api.get(f"{API}/forecasts/", {"sku": "B-2"}).json()["results"]
    ] == ["B-2"]
    by_id = viewer_api.get(f"{API}/forecasts/", {"product": first.product_id}).json()
    assert [row["sku"] for row in by_id["results"]] == ["A-1"]
    assert viewer_api.get(f"{API}/forecasts/", {"product": "x"}).status_code == 400


@pytest.mark.django_db
def test_a_products_forecast_is_404_when_it_has_none_or_is_not_the_merchants(
    viewer_api, merchant, other_merchant
):
    mine = ProductFactory(merchant=merchant)
    assert viewer_api.get(f"{API}/products/{mine.pk}/forecast/").status_code == 404
    forecast = SkuForecastFactory(product=mine)
    body = viewer_api.get(f"{API}/products/{mine.pk}/forecast/").json()
    assert body["id"] == forecast.pk and body["product"] == mine.pk
    theirs = SkuForecastFactory(product=ProductFactory(merchant=other_merchant))
    response = viewer_api.get(f"{API}/products/{theirs.product_id}/forecast/")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


# --- Plans ---------------------------------------------------------------------------------------


@pytest.fixture
def plans(merchant):
    def plan(sku, category, **fields):
        return InventoryPlanFactory(
            product=ProductFactory(merchant=merchant, sku=sku, category=category), **fields
        )

    return [
        plan(
            "RISK",
            "Electronics",
            stockout_risk=0.97,
            days_of_cover=3.0,
            order_quantity=600,
            lost_revenue=Decimal("12000.00"),
        ),
        plan(
            "OVER",
            "Textiles",
            overstock_units=900,
            overstock_value=Decimal("8100.00"),
            markdown=overstock_markdown(),
        ),
        plan("CALM", "Textiles", days_of_cover=40.0),
    ]


@pytest.mark.django_db
def test_plans_list_in_attention_order_with_the_merchants_currency(viewer_api, plans):
    body = viewer_api.get(f"{API}/inventory-plans/").json()
    assert [row["sku"] for row in body["results"]] == ["RISK", "OVER", "CALM"]
    risk, over = body["results"][0], body["results"][1]
    assert risk["at_risk"] is True and risk["order_quantity"] == 600
    assert over["currency"] == "USD" and over["overstock_value"] == "8100.00"
    assert over["markdown"]["price_cut"] == 0.3 and risk["markdown"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, skus",
    [
        ({"ordering": "-overstock_value"}, ["OVER", "CALM", "RISK"]),
        ({"ordering": "days_of_cover"}, ["RISK", "OVER", "CALM"]),
        ({"ordering": "-days_of_cover"}, ["CALM", "OVER", "RISK"]),
        ({"view": "at_risk"}, ["RISK"]),
        ({"view": "overstock"}, ["OVER"]),
        ({"category": "Textiles", "ordering": "sku"}, ["CALM", "OVER"]),
        ({"search": "cal"}, ["CALM"]),
        ({"sku": "OVER"}, ["OVER"]),
    ],
)
def test_plans_sort_and_filter_like_the_page(viewer_api, plans, query, skus):
    response = viewer_api.get(f"{API}/inventory-plans/", query)
    assert [row["sku"] for row in response.json()["results"]] == skus


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"ordering": "price"}, {"view": "sad"}, {"product": "x"}])
def test_bad_plan_filters_are_400(viewer_api, plans, query):
    response = viewer_api.get(f"{API}/inventory-plans/", query)
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@pytest.mark.django_db
def test_one_plan_reads_by_product_id_and_another_merchants_is_404(
    viewer_api, plans, other_merchant
):
    body = viewer_api.get(f"{API}/inventory-plans/{plans[1].product_id}/").json()
    assert body["sku"] == "OVER" and body["overstock_units"] == 900
    theirs = InventoryPlanFactory(product=ProductFactory(merchant=other_merchant))
    assert viewer_api.get(f"{API}/inventory-plans/{theirs.product_id}/").status_code == 404
    assert viewer_api.get(f"{API}/inventory-plans/").json()["count"] == 3


# --- Planning settings ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_planning_settings_read_as_defaults_and_patch_changes_only_what_is_sent(
    owner_api, merchant
):
    body = owner_api.get(f"{API}/planning-settings/").json()
    assert body["service_level"] == "0.950" and body["service_level_overrides"] == []
    response = owner_api.patch(
        f"{API}/planning-settings/", {"service_level": "0.975", "horizon_days": 42}, format="json"
    )
    assert response.status_code == 200, response.content
    settings = PlanningSettings.objects.get(merchant=merchant)
    assert settings.service_level == Decimal("0.975") and settings.horizon_days == 42
    assert settings.cover_target_days == 30
    assert response.json()["service_level"] == "0.975"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"service_level": "1.2"},
        {"service_level": "0.9555"},
        {"horizon_days": 0},
        {"markdown_elasticity": "2"},
        {"nightly_forecast": "sometimes"},
    ],
)
def test_bad_planning_settings_are_400_and_nothing_changes(owner_api, merchant, body):
    response = owner_api.patch(f"{API}/planning-settings/", body, format="json")
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == set(body)
    assert not PlanningSettings.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["viewer_api", "analyst_api"])
def test_only_owners_and_managers_change_planning_settings(request, client_name, merchant):
    client = request.getfixturevalue(client_name)
    response = client.patch(f"{API}/planning-settings/", {"horizon_days": 42}, format="json")
    assert response.status_code == 403
    assert not PlanningSettings.objects.filter(merchant=merchant).exists()


# --- Calendar days -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_days_are_created_read_changed_and_deleted(analyst_api, merchant):
    product = ProductFactory(merchant=merchant, sku="P-1")
    response = analyst_api.post(
        f"{API}/calendar-events/",
        {"date": "2030-11-11", "name": "Singles' Day", "kind": "event"},
        format="json",
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    assert response.json()["product"] is None
    url = f"{API}/calendar-events/{event_id}/"
    response = analyst_api.patch(url, {"product": product.pk}, format="json")
    assert response.json()["sku"] == "P-1" and response.json()["name"] == "Singles' Day"
    response = analyst_api.put(url, {"date": "2030-11-12", "name": "After party"}, format="json")
    body = response.json()
    assert (body["date"], body["kind"], body["product"]) == ("2030-11-12", "promotion", None)
    assert analyst_api.get(url).json()["name"] == "After party"
    assert analyst_api.delete(url).status_code == 204
    assert not CalendarEvent.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_calendar_days_filter_by_date_and_product(viewer_api, merchant):
    product = ProductFactory(merchant=merchant)
    CalendarEventFactory(merchant=merchant, date=dt.date(2030, 1, 5), name="Early")
    CalendarEventFactory(merchant=merchant, date=dt.date(2030, 3, 5), name="Late")
    CalendarEventFactory(merchant=merchant, date=dt.date(2030, 3, 6), name="Own", product=product)
    names = lambda query: [  # noqa: E731
        row["name"] for row in viewer_api.get(f"{API}/calendar-events/", query).json()["results"]
    ]
    assert names({"date_from": "2030-02-01"}) == ["Late", "Own"]
    assert names({"product": product.pk}) == ["Own"]
    assert names({"store_wide": "true"}) == ["Early", "Late"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"date": "2030-01-01", "name": "New Year", "kind": "holiday"}, "name"),  # a duplicate
        ({"date": "2030-13-01", "name": "x"}, "date"),
        ({"date": "2030-01-02", "name": ""}, "name"),
        ({"date": "2030-01-02", "name": "x", "kind": "party"}, "kind"),
        ({"date": "2030-01-02", "name": "x", "product": 987654}, "product"),
    ],
)
def test_bad_calendar_days_are_400(owner_api, merchant, body, field):
    CalendarEventFactory(
        merchant=merchant, date=dt.date(2030, 1, 1), kind="holiday", name="New Year"
    )
    response = owner_api.post(f"{API}/calendar-events/", body, format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert CalendarEvent.objects.filter(merchant=merchant).count() == 1


@pytest.mark.django_db
def test_a_calendar_day_cannot_point_at_another_merchants_product(owner_api, other_merchant):
    theirs = ProductFactory(merchant=other_merchant)
    response = owner_api.post(
        f"{API}/calendar-events/",
        {"date": "2030-01-02", "name": "x", "product": theirs.pk},
        format="json",
    )
    assert response.status_code == 400 and "product" in error_of(response)["fields"]


@pytest.mark.django_db
def test_a_viewer_cannot_write_calendar_days(viewer_api, merchant):
    response = viewer_api.post(
        f"{API}/calendar-events/", {"date": "2030-01-02", "name": "x"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_another_merchants_calendar_day_is_404_for_every_method(owner_api, other_merchant):
    event = CalendarEventFactory(merchant=other_merchant)
    url = f"{API}/calendar-events/{event.pk}/"
    assert owner_api.get(url).status_code == 404
    assert owner_api.patch(url, {"name": "mine"}, format="json").status_code == 404
    assert owner_api.delete(url).status_code == 404
    assert CalendarEvent.objects.get(pk=event.pk).name == event.name
