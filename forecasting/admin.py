from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    CalendarEvent,
    DailySales,
    ForecastRun,
    InventoryPlan,
    PlanningSettings,
    ServiceLevelOverride,
    SkuForecast,
)


@admin.register(DailySales)
class DailySalesAdmin(admin.ModelAdmin):
    list_display = ["product", "merchant", "date", "units", "revenue", "on_promotion"]
    list_filter = ["merchant", "on_promotion", "date"]
    search_fields = ["product__sku", "product__title"]
    date_hierarchy = "date"
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product"]
    readonly_fields = ["merchant"]
    show_full_result_count = False  # counting millions of rows on every page load is wasteful

    def save_model(self, request, obj, form, change):
        obj.merchant_id = obj.product.merchant_id
        super().save_model(request, obj, form, change)


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the forecasting services only: the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ForecastRun)
class ForecastRunAdmin(_ReadOnlyAdmin):
    list_display = [
        "pk",
        "merchant",
        "status",
        "trigger",
        "frequency",
        "skus",
        "chunks",
        "mean_mase",
        "created_at",
        "duration",
    ]
    list_filter = ["merchant", "status", "trigger", "frequency"]
    list_select_related = ["merchant"]
    date_hierarchy = "created_at"
    search_fields = ["error"]
    fieldsets = [
        (None, {"fields": ["merchant", "status", "trigger", "job_link", "error"]}),
        (
            _("Scope"),
            {
                "fields": [
                    "frequency",
                    "horizon",
                    "forecast_start",
                    "sku_total",
                    "sku_done",
                    "chunks_total",
                    "chunks_done",
                    "chunks_failed",
                ]
            },
        ),
        (_("Results"), {"fields": ["metrics", "chosen_models", "model_versions"]}),
        (_("Timings"), {"fields": ["created_at", "started_at", "finished_at", "timings"]}),
        (_("Parameters"), {"fields": ["parameters"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("SKUs"))
    def skus(self, run: ForecastRun) -> str:
        return f"{run.sku_done} / {run.sku_total}"

    @admin.display(description=_("chunks"))
    def chunks(self, run: ForecastRun) -> str:
        failed = f", {run.chunks_failed} ✗" if run.chunks_failed else ""
        return f"{run.chunks_done} / {run.chunks_total}{failed}"

    @admin.display(description=_("mean MASE"))
    def mean_mase(self, run: ForecastRun):
        value = (run.metrics or {}).get("mase")
        return f"{value:.3f}" if isinstance(value, int | float) else "—"

    @admin.display(description=_("duration"))
    def duration(self, run: ForecastRun) -> str:
        seconds = run.duration_seconds
        return f"{seconds:.1f} s" if seconds is not None else "—"

    @admin.display(description=_("job"))
    def job_link(self, run: ForecastRun):
        if not run.job_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:jobs_job_change", args=[run.job_id]), run.job
        )


@admin.register(SkuForecast)
class SkuForecastAdmin(_ReadOnlyAdmin):
    list_display = [
        "product",
        "merchant",
        "run",
        "is_current",
        "model_name",
        "start_date",
        "mae",
        "mase",
        "coverage",
        "borrowed_from_category",
    ]
    list_filter = ["merchant", "is_current", "model_name", "frequency", "borrowed_from_category"]
    search_fields = ["product__sku", "product__title"]
    list_select_related = ["product", "merchant", "run"]
    raw_id_fields = ["product", "run"]
    show_full_result_count = False


@admin.register(InventoryPlan)
class InventoryPlanAdmin(_ReadOnlyAdmin):
    list_display = [
        "product",
        "merchant",
        "stockout_risk",
        "stockout_date",
        "days_of_cover",
        "order_quantity",
        "overstock_value",
        "aged_units",
        "computed_at",
    ]
    list_filter = ["merchant", "product__category", "product__status", "stockout_date"]
    search_fields = ["product__sku", "product__title"]
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product", "forecast"]
    ordering = ["-stockout_risk", "-overstock_value"]


class _MerchantOfProductForm(forms.ModelForm):
    """A product-level row belongs to the product's merchant (never another one's)."""

    def clean(self):
        cleaned = super().clean()
        product, merchant = cleaned.get("product"), cleaned.get("merchant")
        if product is not None and merchant is not None and product.merchant_id != merchant.pk:
            raise forms.ValidationError(_("The product belongs to another merchant."))
        return cleaned


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin):
    form = _MerchantOfProductForm
    list_display = ["date", "name", "kind", "merchant", "product"]
    list_filter = ["merchant", "kind"]
    search_fields = ["name", "product__sku"]
    date_hierarchy = "date"
    list_select_related = ["merchant", "product"]
    raw_id_fields = ["product"]


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "merchant",
        "service_level",
        "horizon_days",
        "review_period_days",
        "cover_target_days",
        "aged_after_days",
        "markdown_elasticity",
        "nightly_forecast",
        "updated_at",
    ]
    list_filter = ["nightly_forecast"]
    list_select_related = ["merchant"]


@admin.register(ServiceLevelOverride)
class ServiceLevelOverrideAdmin(admin.ModelAdmin):
    form = _MerchantOfProductForm
    list_display = ["merchant", "category", "product", "service_level"]
    list_filter = ["merchant"]
    search_fields = ["category", "product__sku"]
    list_select_related = ["merchant", "product"]
    raw_id_fields = ["product"]
