"""Portal URLs of forecasting (under /forecasting/)."""

from django.urls import path

from . import export_views, views

urlpatterns = [
    path("", views.plan_table, name="forecast-plan"),
    path("plan.csv", views.plan_export_csv, name="forecast-plan-csv"),
    path("plan.xlsx", views.plan_export_xlsx, name="forecast-plan-xlsx"),
    path(
        "forecasts.csv",
        export_views.forecast_export_view,
        {"export_format": "csv"},
        name="forecast-export-csv",
    ),
    path(
        "forecasts.xlsx",
        export_views.forecast_export_view,
        {"export_format": "xlsx"},
        name="forecast-export-xlsx",
    ),
    path(
        "sales.csv",
        export_views.sales_export_view,
        {"export_format": "csv"},
        name="sales-export-csv",
    ),
    path(
        "sales.xlsx",
        export_views.sales_export_view,
        {"export_format": "xlsx"},
        name="sales-export-xlsx",
    ),
    path("products/<int:product_id>/", views.forecast_product, name="forecast-product"),
    path("runs/", views.run_list_view, name="forecast-run-list"),
    path("runs/start/", views.run_start, name="forecast-run-start"),
    path("runs/<int:run_id>/", views.run_detail, name="forecast-run-detail"),
    path("settings/", views.planning_settings_view, name="forecast-settings"),
    path("settings/overrides/", views.override_add, name="forecast-override-add"),
    path(
        "settings/overrides/<int:service_level_override_id>/delete/",
        views.override_delete,
        name="forecast-override-delete",
    ),
    path("settings/calendar/", views.event_add, name="forecast-event-add"),
    path(
        "settings/calendar/<int:calendar_event_id>/delete/",
        views.event_delete,
        name="forecast-event-delete",
    ),
]
