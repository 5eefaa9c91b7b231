"""Forecasting objects for the tenant isolation sweep (tests/test_tenant_isolation.py)."""

from django.utils import timezone

from jobs.models import Job, JobKind, JobStatus
from products.models import Product
from tests.factories import ProductFactory, StockLevelFactory

from .factories import (
    CalendarEventFactory,
    ForecastRunFactory,
    InventoryPlanFactory,
    ServiceLevelOverrideFactory,
    SkuForecastFactory,
    overstock_markdown,
)


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    # The sweep's own product of Beta gets a forecast and a plan, so the forecast page, the
    # product forecast and the plan endpoints are asked for objects that exist.
    product = Product.objects.filter(merchant=merchant, sku=f"{secret}-sku").first()
    if product is None:
        product = ProductFactory(merchant=merchant, sku=f"{secret}-plan", title=f"{secret} item")
    job = Job.objects.create(
        merchant=merchant,
        kind=JobKind.FORECAST_RUN,
        title=f"{secret} forecast",
        task_name="forecasting.tasks.forecast_run_execute",
        status=JobStatus.SUCCEEDED,
        started_by=owner,
        finished_at=timezone.now(),
    )
    run = ForecastRunFactory(
        merchant=merchant,
        job=job,
        error=f"{secret} chunk failed",
        chosen_models={f"{secret}-model": 1},
    )
    forecast = SkuForecastFactory(product=product, run=run, model_name=f"{secret}-model")
    InventoryPlanFactory(
        product=product,
        forecast=forecast,
        on_hand=4242,
        overstock_units=4242,
        markdown=overstock_markdown(),
    )
    override = ServiceLevelOverrideFactory(merchant=merchant, category=f"{secret} category")
    event = CalendarEventFactory(merchant=merchant, name=f"{secret} promotion")
    return {
        "run_id": run.pk,
        "service_level_override_id": override.pk,
        "calendar_event_id": event.pk,
    }


def alice_objects(*, merchant, owner) -> None:
    product = ProductFactory(merchant=merchant, category="Kitchen")
    StockLevelFactory(product=product, on_hand=120)
    run = ForecastRunFactory(merchant=merchant)
    forecast = SkuForecastFactory(product=product, run=run)
    InventoryPlanFactory(product=product, forecast=forecast, on_hand=120)
    ServiceLevelOverrideFactory(merchant=merchant, category="Kitchen")
    CalendarEventFactory(merchant=merchant, name="Spring sale")
