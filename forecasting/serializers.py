"""API serializers of forecasting (sales, runs, forecasts, plans, settings, calendar days):
input (validation) and output kept apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products.models import Product

from .models import (
    CalendarEvent,
    CalendarEventKind,
    DailySales,
    ForecastRun,
    Frequency,
    InventoryPlan,
    PlanningSettings,
    ServiceLevelOverride,
    SkuForecast,
)
from .selectors.forecasts import AT_RISK_THRESHOLD, forecast_dates, service_level_overrides
from .services import SalesRow
from .templatetags.forecast_tags import accuracy_sentence, model_label

# One request writes at most this many rows; bigger loads go in several requests.
MAX_SALES_ROWS_PER_REQUEST = 5000
OWNED_PRODUCTS = "owned_product_ids"


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SalesListInputSerializer(serializers.ListSerializer):
    """A JSON array of sales rows, validated with one product query for the whole array."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            ids = {_as_id(item.get("product")) for item in data if isinstance(item, dict)}
            ids.discard(None)
            # Read once for all rows; each row then checks its product against the set.
            self.context[OWNED_PRODUCTS] = set(
                Product.objects.for_merchant(self.context["request"].merchant)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
        return super().to_internal_value(data)

    def validate(self, attrs):
        first_seen: dict[tuple, int] = {}
        errors: dict[int, dict] = {}
        for index, row in enumerate(attrs):
            key = (row["product"], row["date"])
            if key in first_seen:
                message = _("Item %(index)d already has this product and date.")
                errors[index] = {"date": [message % {"index": first_seen[key]}]}
            else:
                first_seen[key] = index
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SalesInputSerializer(serializers.Serializer):
    """One day of one product; the row replaces any row of the same product and date."""

    product = serializers.IntegerField(help_text=_("Id of one of the merchant's products."))
    date = serializers.DateField(help_text=_("The merchant's local date, YYYY-MM-DD."))
    units = serializers.IntegerField(min_value=0)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    on_promotion = serializers.BooleanField(default=False)

    class Meta:
        list_serializer_class = SalesListInputSerializer

    @classmethod
    def many_init(cls, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SALES_ROWS_PER_REQUEST)
        kwargs.setdefault("allow_empty", False)
        return super().many_init(*args, **kwargs)

    def validate_product(self, value: int) -> int:
        owned = self.context.get(OWNED_PRODUCTS)
        if owned is None:
            merchant = self.context["request"].merchant
            exists = Product.objects.for_merchant(merchant).filter(pk=value).exists()
        else:
            exists = value in owned
        if not exists:
            raise serializers.ValidationError(_('Product "%(id)s" does not exist.') % {"id": value})
        return value

    @staticmethod
    def sales_rows(validated: dict | list[dict]) -> list[SalesRow]:
        items = validated if isinstance(validated, list) else [validated]
        return [
            SalesRow(
                product_id=item["product"],
                date=item["date"],
                units=item["units"],
                revenue=item["revenue"],
                on_promotion=item["on_promotion"],
            )
            for item in items
        ]


class SalesUpdateInputSerializer(serializers.Serializer):
    """The figures of an existing row; its product and date identify it and do not change."""

    units = serializers.IntegerField(min_value=0)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    on_promotion = serializers.BooleanField(required=False, help_text=_("Unchanged when left out."))

    def sales_row(self, sales: DailySales) -> SalesRow:
        """The row to write: the fields sent, the current values for the others."""
        data = self.validated_data
        return SalesRow(
            product_id=sales.product_id,
            date=sales.date,
            units=data.get("units", sales.units),
            revenue=data.get("revenue", sales.revenue),
            on_promotion=data.get("on_promotion", sales.on_promotion),
        )


class SalesOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = DailySales
        fields = ["id", "product", "sku", "date", "units", "revenue", "on_promotion"]
        read_only_fields = fields


class SalesBulkResultSerializer(serializers.Serializer):
    written = serializers.IntegerField(
        read_only=True, help_text=_("Rows inserted or replaced, all in one transaction.")
    )


# --- Forecast runs -----------------------------------------------------------------------------


@extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
class NumberMapField(serializers.JSONField):
    """A JSON object of numbers (metrics, timings, counts), documented as such."""


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class TextMapField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "description": 'Quantile level ("0.1", "0.5", "0.9") -> units per period.',
        "additionalProperties": {"type": "array", "items": {"type": "number"}},
    }
)
class QuantilesField(serializers.JSONField):
    pass


class ForecastRunStartInputSerializer(serializers.Serializer):
    product_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        allow_empty=False,
        max_length=100_000,
        help_text=_("Forecast only these of the merchant's products (default: all)."),
    )
    frequency = serializers.ChoiceField(
        choices=Frequency.choices,
        required=False,
        help_text=_("D (daily) or W (weekly); by default weekly when the sales are weekly."),
    )


class ForecastRunOutputSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    trigger_label = serializers.CharField(source="get_trigger_display", read_only=True)
    job = serializers.IntegerField(
        source="job_id", read_only=True, allow_null=True, help_text=_("Id on the jobs API.")
    )
    started_by = serializers.SerializerMethodField(
        help_text=_("Username of who started the run; null for the system.")
    )
    model_versions = TextMapField(read_only=True)
    timings = NumberMapField(
        read_only=True,
        help_text=_("Seconds per phase summed over the chunks; `wall` is start to finish."),
    )
    metrics = NumberMapField(
        read_only=True,
        help_text=_(
            "Back-test averages over the run's products: mae, mase, rmsse, bias, coverage."
        ),
    )
    chosen_models = NumberMapField(
        read_only=True, help_text=_("How many products each method was chosen for.")
    )
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    page_url = serializers.SerializerMethodField(help_text=_("The run's page in the portal."))

    class Meta:
        model = ForecastRun
        fields = [
            "id",
            "status",
            "status_label",
            "trigger",
            "trigger_label",
            "frequency",
            "horizon",
            "forecast_start",
            "sku_total",
            "sku_done",
            "chunks_total",
            "chunks_done",
            "chunks_failed",
            "model_versions",
            "timings",
            "metrics",
            "chosen_models",
            "error",
            "job",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
            "duration_seconds",
            "page_url",
        ]
        read_only_fields = fields

    def get_started_by(self, run) -> str | None:
        user = run.job.started_by if run.job_id and run.job else None
        return user.get_username() if user else None

    def get_page_url(self, run) -> str:
        return reverse("forecast-run-detail", kwargs={"run_id": run.pk})


# --- Forecasts ---------------------------------------------------------------------------------


class ForecastAccuracyOutputSerializer(serializers.Serializer):
    """The SKU's rolling-origin back-test, in figures and in words."""

    summary = serializers.SerializerMethodField(
        help_text=_('In words, e.g. "Typically off by about 3 units a day; ..."')
    )
    mae = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Mean absolute error, units per period.")
    )
    mase = serializers.FloatField(read_only=True, allow_null=True)
    rmsse = serializers.FloatField(read_only=True, allow_null=True)
    bias = serializers.FloatField(read_only=True, allow_null=True)
    coverage = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Share of periods inside P10–P90.")
    )

    def get_summary(self, forecast) -> str:
        return accuracy_sentence(forecast)


class ForecastOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True)
    dates = serializers.SerializerMethodField(
        help_text=_("First day of each period of the quantile arrays.")
    )
    quantiles = QuantilesField(read_only=True)
    model_label = serializers.SerializerMethodField()
    accuracy = ForecastAccuracyOutputSerializer(source="*", read_only=True)
    page_url = serializers.SerializerMethodField(help_text=_("The forecast's page in the portal."))

    class Meta:
        model = SkuForecast
        fields = [
            "id",
            "product",
            "sku",
            "run",
            "frequency",
            "start_date",
            "dates",
            "quantiles",
            "model_name",
            "model_label",
            "accuracy",
            "history_periods",
            "borrowed_from_category",
            "created_at",
            "page_url",
        ]
        read_only_fields = fields

    def get_dates(self, forecast) -> list[dt.date]:
        return forecast_dates(forecast)

    def get_model_label(self, forecast) -> str:
        return model_label(forecast.model_name)

    def get_page_url(self, forecast) -> str:
        return reverse("forecast-product", kwargs={"product_id": forecast.product_id})


# --- Inventory plans ---------------------------------------------------------------------------


class MarkdownOutputSerializer(serializers.Serializer):
    """The markdown scenario of an overstocked product (absent otherwise)."""

    price_cut = serializers.FloatField(help_text=_("0.2 = 20 % off the price."))
    new_price = serializers.FloatField()
    elasticity = serializers.FloatField(help_text=_("The assumed price elasticity."))
    days = serializers.IntegerField(help_text=_("The horizon the units are expected over."))
    baseline_units = serializers.FloatField(help_text=_("Expected units at today's price."))
    expected_units = serializers.FloatField(help_text=_("Expected units at the new price."))
    recovered = serializers.FloatField(help_text=_("Revenue at the new price."))
    net_gain = serializers.FloatField(
        required=False,
        help_text=_("Against keeping the price, counting unsold stock's remaining value."),
    )


class InventoryPlanOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    title = serializers.CharField(source="product.title", read_only=True)
    category = serializers.CharField(source="product.category", read_only=True)
    currency = serializers.SerializerMethodField(
        help_text=_("The merchant's currency, of every amount of the plan.")
    )
    forecast = serializers.IntegerField(source="forecast_id", read_only=True, allow_null=True)
    at_risk = serializers.SerializerMethodField(
        help_text=_("Stockout risk of at least 20 % before a new order could arrive.")
    )
    days_of_cover = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("null: no demand expected.")
    )
    markdown = serializers.SerializerMethodField()
    accuracy_summary = serializers.SerializerMethodField(
        help_text=_("The forecast's back-test accuracy in words.")
    )
    page_url = serializers.SerializerMethodField(help_text=_("The forecast's page in the portal."))

    class Meta:
        model = InventoryPlan
        fields = [
            "product",
            "sku",
            "title",
            "category",
            "currency",
            "computed_at",
            "forecast",
            "on_hand",
            "inbound",
            "lead_time_days",
            "service_level",
            "mean_daily_demand",
            "safety_stock",
            "reorder_point",
            "order_quantity",
            "days_of_cover",
            "stockout_date",
            "stockout_risk",
            "at_risk",
            "lost_revenue",
            "overstock_units",
            "overstock_value",
            "aged_units",
            "markdown",
            "accuracy_summary",
            "page_url",
        ]
        read_only_fields = fields

    def get_currency(self, plan) -> str:
        return self.context["request"].merchant.currency

    def get_at_risk(self, plan) -> bool:
        return plan.stockout_risk >= AT_RISK_THRESHOLD

    @extend_schema_field(MarkdownOutputSerializer(allow_null=True))
    def get_markdown(self, plan):
        return plan.markdown or None

    def get_accuracy_summary(self, plan) -> str:
        return accuracy_sentence(plan.forecast if plan.forecast_id else None)

    def get_page_url(self, plan) -> str:
        return reverse("forecast-product", kwargs={"product_id": plan.product_id})


# --- Planning settings and calendar days -------------------------------------------------------


class ServiceLevelOverrideOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True, allow_null=True)
    sku = serializers.CharField(source="product.sku", read_only=True, allow_null=True)

    class Meta:
        model = ServiceLevelOverride
        fields = ["id", "category", "product", "sku", "service_level"]
        read_only_fields = fields


class PlanningSettingsOutputSerializer(serializers.ModelSerializer):
    service_level_overrides = serializers.SerializerMethodField(
        help_text=_("Targets per category or product (set in the portal's planning settings).")
    )

    class Meta:
        model = PlanningSettings
        fields = [
            "horizon_days",
            "service_level",
            "review_period_days",
            "cover_target_days",
            "aged_after_days",
            "markdown_elasticity",
            "nightly_forecast",
            "updated_at",
            "service_level_overrides",
        ]
        read_only_fields = fields

    @extend_schema_field(ServiceLevelOverrideOutputSerializer(many=True))
    def get_service_level_overrides(self, settings):
        overrides = service_level_overrides(merchant=settings.merchant)
        return ServiceLevelOverrideOutputSerializer(overrides, many=True).data


class PlanningSettingsInputSerializer(serializers.Serializer):
    """Every field is optional on PATCH; a field left out keeps its value."""

    horizon_days = serializers.IntegerField(min_value=7, max_value=182)
    service_level = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0.500"),
        max_value=Decimal("0.999"),
        help_text=_("Cycle service level target, 0.500–0.999 (0.95 = 95 %)."),
    )
    review_period_days = serializers.IntegerField(min_value=1, max_value=90)
    cover_target_days = serializers.IntegerField(min_value=1, max_value=365)
    aged_after_days = serializers.IntegerField(min_value=7, max_value=730)
    markdown_elasticity = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("-10.00"),
        max_value=Decimal("-0.10"),
        help_text=_("% change in units per 1 % change in price (negative)."),
    )
    nightly_forecast = serializers.BooleanField()


class CalendarEventOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    product = serializers.IntegerField(
        source="product_id", read_only=True, allow_null=True, help_text=_("null: store-wide.")
    )
    sku = serializers.CharField(source="product.sku", read_only=True, allow_null=True)

    class Meta:
        model = CalendarEvent
        fields = ["id", "date", "kind", "kind_label", "name", "product", "sku"]
        read_only_fields = fields


class CalendarEventInputSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("The merchant's local date, YYYY-MM-DD."))
    kind = serializers.ChoiceField(
        choices=CalendarEventKind.choices, default=CalendarEventKind.PROMOTION
    )
    name = serializers.CharField(max_length=120)
    product = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Id of one of the merchant's products; null or absent: the whole store."),
    )

    def validate_product(self, value):
        if value is None:
            return None
        product = Product.objects.for_merchant(self.context["request"].merchant).filter(pk=value)
        product = product.first()
        if product is None:
            raise serializers.ValidationError(_('Product "%(id)s" does not exist.') % {"id": value})
        return product
