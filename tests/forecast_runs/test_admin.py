"""The forecasting admin: runs, forecasts and plans are shown read-only; the planning
configuration is editable, and a product-level row cannot point at another merchant."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forecasting.models import CalendarEvent, ForecastRun, InventoryPlan, SkuForecast
from forecasting.services.runs import forecast_run_sync
from tests.factories import ProductFactory

from .factories import TODAY, store_with_sales


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-xyz")
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_runs_forecasts_and_plans_are_listed_and_shown_read_only(admin_client, merchant):
    store_with_sales(merchant, products=2)
    run = forecast_run_sync(merchant=merchant, today=TODAY)
    forecast = SkuForecast.objects.filter(run=run).first()
    plan = InventoryPlan.objects.first()

    for name, obj in (
        ("forecastrun", run),
        ("skuforecast", forecast),
        ("inventoryplan", plan),
    ):
        listing = admin_client.get(reverse(f"admin:forecasting_{name}_changelist"))
        assert listing.status_code == 200
        detail = admin_client.get(reverse(f"admin:forecasting_{name}_change", args=[obj.pk]))
        assert detail.status_code == 200
        assert b'name="_save"' not in detail.content  # nothing to save: read-only
        assert admin_client.get(reverse(f"admin:forecasting_{name}_add")).status_code == 403
    page = admin_client.get(reverse("admin:forecasting_forecastrun_change", args=[run.pk]))
    assert b"mase" in page.content
    filtered = admin_client.get(
        reverse("admin:forecasting_inventoryplan_changelist"), {"merchant__id__exact": merchant.pk}
    )
    assert filtered.status_code == 200 and plan.product.sku.encode() in filtered.content
    assert ForecastRun.objects.count() == 1


@pytest.mark.django_db
def test_a_promotion_day_cannot_be_filed_under_another_merchants_product(
    admin_client, merchant, other_merchant
):
    theirs = ProductFactory(merchant=other_merchant)
    url = reverse("admin:forecasting_calendarevent_add")
    data = {
        "merchant": merchant.pk,
        "product": theirs.pk,
        "date": "2025-07-01",
        "kind": "promotion",
        "name": "Flash sale",
    }

    refused = admin_client.post(url, data)
    data["product"] = ProductFactory(merchant=merchant).pk
    accepted = admin_client.post(url, data)

    assert refused.status_code == 200 and b"another merchant" in refused.content
    assert accepted.status_code == 302
    assert CalendarEvent.objects.get().merchant == merchant


@pytest.mark.django_db
def test_planning_settings_and_overrides_are_editable(admin_client, merchant):
    for name in ("planningsettings", "serviceleveloverride", "calendarevent"):
        assert admin_client.get(reverse(f"admin:forecasting_{name}_add")).status_code == 200
