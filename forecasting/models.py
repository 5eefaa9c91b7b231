from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class DailySales(models.Model):
    """Units and revenue of one product on one day (merchant's local date).

    Sized for years of history over tens of thousands of SKUs: narrow rows, a unique
    (product, date) key that doubles as the per-product series index, and a (merchant, date)
    index for store-wide aggregates. Written in bulk (`sales_upsert`, imports). The foreign keys
    have no index of their own: those two lead with them, and every extra index costs the
    imports of millions of rows (about 8 % of the database's time for a 1M-line orders file).
    """

    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("merchant"),
        db_index=False,
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="daily_sales",
        verbose_name=_("product"),
        db_index=False,
    )
    date = models.DateField(_("date"))
    units = models.IntegerField(_("units"), default=0)
    revenue = models.DecimalField(_("revenue"), max_digits=14, decimal_places=2, default=0)
    on_promotion = models.BooleanField(_("on promotion"), default=False)

    class Meta:
        ordering = ["product", "date"]
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "date"], name="daily_sales_product_date_uniq"
            ),
            models.CheckConstraint(
                condition=Q(units__gte=0), name="daily_sales_units_non_negative"
            ),
        ]
        indexes = [models.Index(fields=["merchant", "date"], name="daily_sales_merchant_date")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.date}: {self.units}"


class Frequency(models.TextChoices):
    DAILY = "D", _("daily")
    WEEKLY = "W", _("weekly")


class CalendarEventKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")
    EVENT = "event", _("event")
    PROMOTION = "promotion", _("promotion")


class CalendarEvent(models.Model):
    """A day the forecast should know about: a holiday, a sales event or a promotion.

    Store-wide when `product` is empty; a promotion of one product otherwise. Future rows are
    what lets the model expect the next promotion instead of being surprised by it.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_events",
        verbose_name=_("product"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=CalendarEventKind.choices,
        default=CalendarEventKind.PROMOTION,
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["date", "name"]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "date", "kind", "name"],
                condition=Q(product__isnull=True),
                name="calendar_event_store_uniq",
            ),
            models.UniqueConstraint(
                fields=["product", "date", "kind", "name"],
                condition=Q(product__isnull=False),
                name="calendar_event_product_uniq",
            ),
        ]
        indexes = [models.Index(fields=["merchant", "date"], name="calendar_event_merchant_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class PlanningSettings(models.Model):
    """A merchant's forecasting and inventory-planning defaults (one row, created on first use)."""

    merchant = models.OneToOneField(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="planning_settings",
        verbose_name=_("merchant"),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("forecast horizon (days)"),
        default=28,
        validators=[MinValueValidator(7), MaxValueValidator(182)],
    )
    service_level = models.DecimalField(
        _("service level target"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.950"),
        validators=[MinValueValidator(Decimal("0.500")), MaxValueValidator(Decimal("0.999"))],
        help_text=_("Share of replenishment cycles that should end without a stockout."),
    )
    review_period_days = models.PositiveSmallIntegerField(
        _("review period (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How often orders are placed."),
    )
    cover_target_days = models.PositiveSmallIntegerField(
        _("cover target (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Stock beyond lead time plus this many days of demand counts as overstock."),
    )
    aged_after_days = models.PositiveSmallIntegerField(
        _("aged after (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_("Units expected to sit longer than this count as aged stock."),
    )
    markdown_elasticity = models.DecimalField(
        _("price elasticity for markdowns"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("-2.00"),
        validators=[MinValueValidator(Decimal("-10.00")), MaxValueValidator(Decimal("-0.10"))],
        help_text=_("Assumed % change in units per 1 % change in price (negative)."),
    )
    nightly_forecast = models.BooleanField(_("forecast every night"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return f"{self.merchant_id}: {self.service_level}"


class ServiceLevelOverride(models.Model):
    """A service-level target for one category or one product (a product's beats its category's)."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    category = models.CharField(_("category"), max_length=120, blank=True)
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_level_overrides",
        verbose_name=_("product"),
    )
    service_level = models.DecimalField(
        _("service level target"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.500")), MaxValueValidator(Decimal("0.999"))],
    )

    class Meta:
        verbose_name = _("service level override")
        verbose_name_plural = _("service level overrides")
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=True) & ~Q(category=""))
                | (Q(product__isnull=False) & Q(category="")),
                name="service_level_override_category_xor_product",
            ),
            models.UniqueConstraint(
                fields=["merchant", "category"],
                condition=Q(product__isnull=True),
                name="service_level_override_category_uniq",
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(product__isnull=False),
                name="service_level_override_product_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or self.product_id}: {self.service_level}"


class ForecastRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    PARTIAL = "partial", _("partly failed")
    FAILED = "failed", _("failed")


class ForecastRunTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("nightly")
    MANUAL = "manual", _("on demand")
    IMPORT = "import", _("after an import")
    API = "api", _("API")


class ForecastRun(TimeStampedModel):
    """One forecast of (some of) a merchant's SKUs: what ran, how long it took, how good it was.

    The work is split into chunks of SKUs; each chunk reports back here with conditional
    updates, so a failed chunk is counted (and retried by Celery) rather than lost.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    job = models.OneToOneField(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forecast_run",
        verbose_name=_("job"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ForecastRunStatus.choices,
        default=ForecastRunStatus.QUEUED,
    )
    trigger = models.CharField(
        _("trigger"),
        max_length=10,
        choices=ForecastRunTrigger.choices,
        default=ForecastRunTrigger.MANUAL,
    )
    frequency = models.CharField(
        _("frequency"), max_length=1, choices=Frequency.choices, default=Frequency.DAILY
    )
    horizon = models.PositiveSmallIntegerField(_("horizon (periods)"), default=28)
    forecast_start = models.DateField(_("first forecast day"), null=True, blank=True)
    # {"engine": "1.0", "lightgbm": "4.6.0", "statsforecast": "2.0.1", ...}
    model_versions = models.JSONField(_("model versions"), default=dict, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # Seconds per phase summed over chunks: {"load": .., "backtest": .., "fit": .., "save": ..}
    timings = models.JSONField(_("timings"), default=dict, blank=True)
    # Averages over the run's SKUs: {"mase": .., "rmsse": .., "bias": .., "coverage": ..}
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    # How many SKUs each method was chosen for: {"lgbm": 700, "croston": 90, ...}
    chosen_models = models.JSONField(_("chosen models"), default=dict, blank=True)
    sku_total = models.PositiveIntegerField(_("SKUs"), default=0)
    sku_done = models.PositiveIntegerField(_("SKUs forecast"), default=0)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    chunks_failed = models.PositiveIntegerField(_("chunks failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")
        indexes = [models.Index(fields=["merchant", "-created_at"], name="forecast_run_merchant")]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class SkuForecast(models.Model):
    """One SKU's forecast from one run: quantile paths plus its own back-tested accuracy.

    Paths are stored as arrays (one element per period from `start_date`), so a 20,000-SKU run
    writes 20,000 rows, not half a million. `is_current` marks the row the pages and the plan use.
    """

    run = models.ForeignKey(
        ForecastRun, on_delete=models.CASCADE, related_name="forecasts", verbose_name=_("run")
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="forecasts",
        verbose_name=_("product"),
    )
    is_current = models.BooleanField(_("current"), default=True)
    frequency = models.CharField(
        _("frequency"), max_length=1, choices=Frequency.choices, default=Frequency.DAILY
    )
    start_date = models.DateField(_("first forecast day"))
    # {"0.1": [..], "0.5": [..], "0.9": [..]} units per period; keys are quantile levels.
    quantiles = models.JSONField(_("quantiles"))
    model_name = models.CharField(_("model"), max_length=40)
    # Back-test on the SKU's own history (rolling origin): the figures behind the sentence
    # "typically off by about N units a day".
    mae = models.FloatField(_("mean absolute error"), null=True, blank=True)
    mase = models.FloatField(_("MASE"), null=True, blank=True)
    rmsse = models.FloatField(_("RMSSE"), null=True, blank=True)
    bias = models.FloatField(_("bias"), null=True, blank=True)
    coverage = models.FloatField(_("P10-P90 coverage"), null=True, blank=True)
    history_periods = models.PositiveIntegerField(_("history (periods)"), default=0)
    # Too little history: the forecast leans on the category's pattern.
    borrowed_from_category = models.BooleanField(_("borrowed from category"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["product", "-run"]
        verbose_name = _("SKU forecast")
        verbose_name_plural = _("SKU forecasts")
        constraints = [
            models.UniqueConstraint(fields=["run", "product"], name="sku_forecast_run_product"),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(is_current=True),
                name="sku_forecast_one_current_per_product",
            ),
        ]
        indexes = [
            models.Index(fields=["merchant", "is_current"], name="sku_forecast_merchant_current"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} from {self.start_date} ({self.model_name})"


class InventoryPlan(models.Model):
    """The current plan for one product, recomputed after each forecast and stock change.

    Formulas: README, "Inventory plan". Money is in the merchant's currency.
    """

    product = models.OneToOneField(
        "products.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="inventory_plan",
        verbose_name=_("product"),
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    forecast = models.ForeignKey(
        SkuForecast,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forecast"),
    )
    computed_at = models.DateTimeField(_("computed"), auto_now=True)
    # Inputs as they were when the plan was computed.
    on_hand = models.IntegerField(_("on hand"), default=0)
    inbound = models.IntegerField(_("inbound"), default=0)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    service_level = models.DecimalField(_("service level target"), max_digits=4, decimal_places=3)
    # Outputs.
    mean_daily_demand = models.FloatField(_("mean daily demand"), default=0)
    safety_stock = models.FloatField(_("safety stock"), default=0)
    reorder_point = models.FloatField(_("reorder point"), default=0)
    order_quantity = models.PositiveIntegerField(_("suggested order"), default=0)
    days_of_cover = models.FloatField(_("days of cover"), null=True, blank=True)
    stockout_date = models.DateField(_("projected stockout"), null=True, blank=True)
    # Probability that stock runs out before the next replenishment can arrive.
    stockout_risk = models.FloatField(_("stockout risk"), default=0)
    # Revenue expected to be lost over the horizon to running out (P50 demand not served).
    lost_revenue = models.DecimalField(
        _("revenue at risk"), max_digits=14, decimal_places=2, default=0
    )
    overstock_units = models.IntegerField(_("overstock units"), default=0)
    overstock_value = models.DecimalField(
        _("overstock value"), max_digits=14, decimal_places=2, default=0
    )
    aged_units = models.IntegerField(_("aged units"), default=0)
    # {"price_cut": 0.2, "new_price": .., "elasticity": -2.0, "days": 28,
    #  "expected_units": .., "baseline_units": .., "recovered": ..}
    markdown = models.JSONField(_("markdown scenario"), default=dict, blank=True)

    class Meta:
        ordering = ["-stockout_risk", "-overstock_value"]
        verbose_name = _("inventory plan")
        verbose_name_plural = _("inventory plans")
        indexes = [
            models.Index(fields=["merchant", "-stockout_risk"], name="plan_merchant_risk"),
            models.Index(fields=["merchant", "-overstock_value"], name="plan_merchant_overstock"),
            models.Index(fields=["merchant", "days_of_cover"], name="plan_merchant_cover"),
        ]

    def __str__(self) -> str:
        return f"plan {self.product_id}"
