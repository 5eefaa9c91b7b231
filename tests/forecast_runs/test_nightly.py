"""The nightly beat task starts a run for each merchant that wants one and can have one."""

import pytest

from forecasting.models import ForecastRun, ForecastRunTrigger
from forecasting.tasks import forecast_nightly
from tests.factories import MerchantFactory

from .factories import PlanningSettingsFactory, store_with_sales


@pytest.mark.django_db
def test_the_nightly_task_picks_active_merchants_that_want_it_and_have_sales(
    django_capture_on_commit_callbacks,
):
    default = MerchantFactory(slug="default")  # no settings row: the default is yes
    store_with_sales(default, products=1)
    wants = MerchantFactory(slug="wants")
    PlanningSettingsFactory(merchant=wants, nightly_forecast=True)
    store_with_sales(wants, products=1)
    opted_out = MerchantFactory(slug="opted-out")
    PlanningSettingsFactory(merchant=opted_out, nightly_forecast=False)
    store_with_sales(opted_out, products=1)
    inactive = MerchantFactory(slug="inactive", is_active=False)
    store_with_sales(inactive, products=1)
    MerchantFactory(slug="empty")  # nothing to forecast
    busy = MerchantFactory(slug="busy")
    store_with_sales(busy, products=1)
    busy_run = ForecastRun.objects.create(merchant=busy, status="running")

    with django_capture_on_commit_callbacks(execute=False):
        started = forecast_nightly()

    assert started == 2
    nightly = ForecastRun.objects.filter(trigger=ForecastRunTrigger.NIGHTLY)
    assert sorted(nightly.values_list("merchant__slug", flat=True)) == ["default", "wants"]
    assert all(run.job is not None for run in nightly)
    assert list(ForecastRun.objects.filter(merchant=busy)) == [busy_run]
