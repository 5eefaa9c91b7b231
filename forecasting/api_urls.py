from django.urls import path

from . import apis

urlpatterns = [
    path("sales/", apis.SalesListApi.as_view(), name="sales-list"),
    path("sales/<int:sales_id>/", apis.SalesDetailApi.as_view(), name="sales-detail"),
    path("forecast-runs/", apis.ForecastRunListApi.as_view(), name="forecast-run-list"),
    path(
        "forecast-runs/<int:run_id>/",
        apis.ForecastRunDetailApi.as_view(),
        name="forecast-run-detail",
    ),
    path("forecasts/", apis.ForecastListApi.as_view(), name="forecast-list"),
    path(
        "products/<int:product_id>/forecast/",
        apis.ProductForecastApi.as_view(),
        name="product-forecast",
    ),
    path("inventory-plans/", apis.InventoryPlanListApi.as_view(), name="inventory-plan-list"),
    path(
        "inventory-plans/<int:product_id>/",
        apis.InventoryPlanDetailApi.as_view(),
        name="inventory-plan-detail",
    ),
    path("planning-settings/", apis.PlanningSettingsApi.as_view(), name="planning-settings"),
    path("calendar-events/", apis.CalendarEventListApi.as_view(), name="calendar-event-list"),
    path(
        "calendar-events/<int:calendar_event_id>/",
        apis.CalendarEventDetailApi.as_view(),
        name="calendar-event-detail",
    ),
]
