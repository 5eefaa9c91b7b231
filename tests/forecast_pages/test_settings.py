"""Planning settings, service-level overrides and calendar days from the portal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from forecasting.models import CalendarEvent, InventoryPlan, PlanningSettings, ServiceLevelOverride
from tests.factories import ProductFactory, StockLevelFactory

from .factories import (
    CalendarEventFactory,
    ServiceLevelOverrideFactory,
    SkuForecastFactory,
)

SETTINGS = reverse("forecast-settings")
ADD_OVERRIDE = reverse("forecast-override-add")
ADD_EVENT = reverse("forecast-event-add")

GOOD = {
    "horizon_days": 35,
    "service_level_percent": "98.5",
    "review_period_days": 7,
    "cover_target_days": 45,
    "aged_after_days": 120,
    "markdown_elasticity": "-1.5",
    "nightly_forecast": "on",
}


def _delete_override(override):
    return reverse("forecast-override-delete", kwargs={"service_level_override_id": override.pk})


def _delete_event(event):
    return reverse("forecast-event-delete", kwargs={"calendar_event_id": event.pk})


@pytest.fixture
def forecast_product(merchant):
    """A forecast product with stock, so that plans can be computed for it."""
    product = ProductFactory(merchant=merchant, sku="K-1", category="Kitchen", lead_time_days=7)
    StockLevelFactory(product=product, on_hand=50)
    return SkuForecastFactory(product=product).product


@pytest.mark.django_db
def test_the_settings_page_shows_the_defaults_before_anything_is_saved(owner_client, merchant):
    html = owner_client.get(SETTINGS).content.decode()
    assert 'name="service_level_percent"' in html and 'value="95.0"' in html
    assert not PlanningSettings.objects.filter(merchant=merchant).exists()  # a read writes nothing


@pytest.mark.django_db
def test_a_manager_saves_the_settings_and_the_plans_follow(
    manager_client, merchant, forecast_product
):
    response = manager_client.post(SETTINGS, GOOD)
    assert response.status_code == 302
    settings = PlanningSettings.objects.get(merchant=merchant)
    assert settings.service_level == Decimal("0.985")
    assert settings.horizon_days == 35 and settings.markdown_elasticity == Decimal("-1.50")
    plan = InventoryPlan.objects.get(product=forecast_product)
    assert plan.service_level == Decimal("0.985")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value",
    [
        ("service_level_percent", "100"),
        ("service_level_percent", "42"),
        ("service_level_percent", "95.55"),
        ("horizon_days", "3"),
        ("markdown_elasticity", "1.5"),
        ("cover_target_days", "lots"),
    ],
)
def test_bad_settings_are_form_errors_and_nothing_is_saved(owner_client, merchant, field, value):
    response = owner_client.post(SETTINGS, {**GOOD, field: value})
    assert response.status_code == 400
    assert response.context["settings_form"].errors[field]
    assert "is-invalid" in response.content.decode()
    assert not PlanningSettings.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_a_viewer_reads_the_settings_but_cannot_change_them(viewer_client, merchant):
    html = viewer_client.get(SETTINGS).content.decode()
    assert "95.0%" in html and 'name="service_level_percent"' not in html
    assert viewer_client.post(SETTINGS, GOOD).status_code == 403
    assert viewer_client.post(ADD_OVERRIDE, {"category": "Kitchen"}).status_code == 403
    assert viewer_client.post(ADD_EVENT, {}).status_code == 403
    assert not PlanningSettings.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_an_analyst_adds_calendar_days_but_not_service_levels(analyst_client, merchant):
    ProductFactory(merchant=merchant, category="Kitchen")
    assert analyst_client.post(SETTINGS, GOOD).status_code == 403
    response = analyst_client.post(
        ADD_OVERRIDE, {"category": "Kitchen", "service_level_percent": "99"}
    )
    assert response.status_code == 403
    response = analyst_client.post(
        ADD_EVENT, {"date": "2030-11-11", "kind": "event", "name": "Singles' Day"}
    )
    assert response.status_code == 302
    assert CalendarEvent.objects.get(merchant=merchant).name == "Singles' Day"


@pytest.mark.django_db
def test_a_category_override_replaces_the_old_one_and_updates_its_plans(
    owner_client, merchant, forecast_product
):
    owner_client.post(ADD_OVERRIDE, {"category": "Kitchen", "service_level_percent": "97"})
    owner_client.post(ADD_OVERRIDE, {"category": "Kitchen", "service_level_percent": "99"})
    override = ServiceLevelOverride.objects.get(merchant=merchant)
    assert (override.category, override.service_level) == ("Kitchen", Decimal("0.990"))
    assert InventoryPlan.objects.get(product=forecast_product).service_level == Decimal("0.990")
    html = owner_client.get(SETTINGS).content.decode()
    assert "Category Kitchen" in html and "99.0%" in html


@pytest.mark.django_db
def test_a_product_override_is_set_by_sku_and_removed_again(
    owner_client, merchant, forecast_product
):
    response = owner_client.post(ADD_OVERRIDE, {"sku": "K-1", "service_level_percent": "80"})
    assert response.status_code == 302
    override = ServiceLevelOverride.objects.get(merchant=merchant, product=forecast_product)
    assert InventoryPlan.objects.get(product=forecast_product).service_level == Decimal("0.800")
    owner_client.post(_delete_override(override))
    assert not ServiceLevelOverride.objects.filter(merchant=merchant).exists()
    assert InventoryPlan.objects.get(product=forecast_product).service_level == Decimal("0.950")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"service_level_percent": "97"}, "Choose either a category or a product SKU."),
        (
            {"category": "Kitchen", "sku": "K-1", "service_level_percent": "97"},
            "Choose either a category or a product SKU.",
        ),
        ({"sku": "NOPE", "service_level_percent": "97"}, "None of your products has the SKU"),
        ({"category": "Garden", "service_level_percent": "97"}, "Select a valid choice."),
        ({"category": "Kitchen", "service_level_percent": "99.95"}, "Ensure that there are"),
    ],
)
def test_bad_overrides_are_form_errors(owner_client, merchant, forecast_product, data, message):
    response = owner_client.post(ADD_OVERRIDE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ServiceLevelOverride.objects.exists()


@pytest.mark.django_db
def test_the_sku_of_another_merchants_product_is_unknown(owner_client, other_merchant):
    ProductFactory(merchant=other_merchant, sku="THEIRS")
    response = owner_client.post(ADD_OVERRIDE, {"sku": "THEIRS", "service_level_percent": "97"})
    assert response.status_code == 400
    assert not ServiceLevelOverride.objects.exists()


@pytest.mark.django_db
def test_calendar_days_are_added_store_wide_or_per_product_and_removed(owner_client, merchant):
    product = ProductFactory(merchant=merchant, sku="B-1")
    owner_client.post(ADD_EVENT, {"date": "2030-07-08", "kind": "event", "name": "Summer Sale"})
    owner_client.post(
        ADD_EVENT, {"date": "2030-07-09", "kind": "promotion", "name": "-20%", "sku": "B-1"}
    )
    store, promo = CalendarEvent.objects.filter(merchant=merchant).order_by("date")
    assert store.product is None and store.kind == "event"
    assert promo.product == product and promo.date == dt.date(2030, 7, 9)
    html = owner_client.get(SETTINGS).content.decode()
    assert "Summer Sale" in html and "whole store" in html and "B-1" in html
    owner_client.post(_delete_event(promo))
    assert list(CalendarEvent.objects.filter(merchant=merchant)) == [store]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "2030-02-30", "kind": "event", "name": "x"}, "Enter a valid date."),
        ({"date": "2030-02-03", "kind": "party", "name": "x"}, "Select a valid choice."),
        ({"date": "2030-02-03", "kind": "event", "name": ""}, "This field is required."),
        ({"date": "2030-02-03", "kind": "event", "name": "x", "sku": "NOPE"}, "has the SKU"),
        (
            {"date": "2030-01-01", "kind": "holiday", "name": "New Year"},
            "This day already has an entry of this kind with this name.",
        ),
    ],
)
def test_bad_calendar_days_are_form_errors(owner_client, merchant, data, message):
    CalendarEventFactory(
        merchant=merchant, date=dt.date(2030, 1, 1), kind="holiday", name="New Year"
    )
    response = owner_client.post(ADD_EVENT, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CalendarEvent.objects.filter(merchant=merchant).count() == 1


@pytest.mark.django_db
def test_another_merchants_override_and_calendar_day_cannot_be_removed(
    owner_client, other_merchant
):
    override = ServiceLevelOverrideFactory(merchant=other_merchant)
    event = CalendarEventFactory(merchant=other_merchant)
    assert owner_client.post(_delete_override(override)).status_code == 404
    assert owner_client.post(_delete_event(event)).status_code == 404
    assert ServiceLevelOverride.objects.filter(pk=override.pk).exists()
    assert CalendarEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_the_settings_page_lists_only_the_merchants_own_overrides_and_days(
    owner_client, other_merchant
):
    ServiceLevelOverrideFactory(merchant=other_merchant, category="Their category")
    CalendarEventFactory(merchant=other_merchant, name="Their promotion")
    html = owner_client.get(SETTINGS).content.decode()
    assert "Their category" not in html and "Their promotion" not in html
