"""Forms of the forecasting pages: the plan table's query string and the planning settings.

Service levels are entered as percentages (95.0) and stored as fractions (0.950).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin
from products.models import Product

from .models import CalendarEventKind, PlanningSettings
from .selectors.forecasts import DEFAULT_PLAN_SORT

PLAN_SORT_CHOICES = [
    ("attention", _("Most money at stake first")),
    ("-stockout_risk", _("Stockout risk (highest first)")),
    ("-overstock_value", _("Overstock value (highest first)")),
    ("days_of_cover", _("Days of cover (fewest first)")),
    ("-days_of_cover", _("Days of cover (most first)")),
    ("stockout_date", _("Stockout date (soonest first)")),
    ("-order_quantity", _("Suggested order (largest first)")),
    ("-lost_revenue", _("Revenue at risk (highest first)")),
    ("-aged_units", _("Aged units (most first)")),
    ("-overstock_units", _("Overstock units (most first)")),
    ("on_hand", _("On hand (fewest first)")),
    ("-on_hand", _("On hand (most first)")),
    ("sku", _("SKU (A→Z)")),
    ("-sku", _("SKU (Z→A)")),
    # Reachable from the column headers (second click reverses the order).
    ("stockout_risk", _("Stockout risk (lowest first)")),
    ("overstock_value", _("Overstock value (lowest first)")),
    ("-stockout_date", _("Stockout date (latest first)")),
    ("order_quantity", _("Suggested order (smallest first)")),
    ("lost_revenue", _("Revenue at risk (lowest first)")),
    ("aged_units", _("Aged units (fewest first)")),
    ("overstock_units", _("Overstock units (fewest first)")),
]
PLAN_VIEW_CHOICES = [
    ("", _("All products")),
    ("at_risk", _("At risk of a stockout")),
    ("overstock", _("Overstocked")),
]
PERCENT_MIN = Decimal("50.0")
PERCENT_MAX = Decimal("99.9")


def percent_to_fraction(value: Decimal) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.001"))


def fraction_to_percent(value) -> Decimal:
    return (Decimal(value) * 100).quantize(Decimal("0.1"))


def _service_level_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        min_value=PERCENT_MIN,
        max_value=PERCENT_MAX,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
        **kwargs,
    )


class PlanFilterForm(BootstrapFormMixin, forms.Form):
    """The plan table's query string (also the export's). Invalid values are ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("SKU, title or brand")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    view = forms.ChoiceField(label=_("Show"), required=False, choices=PLAN_VIEW_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=PLAN_SORT_CHOICES)

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["translate"] = "no"  # the merchant's names
        self.fields["category"].choices = [
            ("", _("All categories")),
            *((name, name) for name in categories),
        ]

    def filters(self) -> dict:
        """The valid part of the query, with defaults for what is missing or wrong."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q") or "",
            "category": data.get("category") or "",
            "view": data.get("view") or "",
            "sort": data.get("sort") or DEFAULT_PLAN_SORT,
        }


class PlanningSettingsForm(BootstrapFormMixin, forms.Form):
    horizon_days = forms.IntegerField(
        label=_("Forecast horizon (days)"),
        min_value=7,
        max_value=182,
        help_text=_("How far ahead each forecast reaches; used from the next run on."),
    )
    service_level_percent = _service_level_field(
        label=_("Service level target (%)"),
        help_text=_("Share of replenishment cycles that should end without a stockout."),
    )
    review_period_days = forms.IntegerField(
        label=_("Review period (days)"),
        min_value=1,
        max_value=90,
        help_text=_("How often orders are placed."),
    )
    cover_target_days = forms.IntegerField(
        label=_("Cover target (days)"),
        min_value=1,
        max_value=365,
        help_text=_("Stock beyond lead time plus this many days of demand counts as overstock."),
    )
    aged_after_days = forms.IntegerField(
        label=_("Aged after (days)"),
        min_value=7,
        max_value=730,
        help_text=_("Units expected to sit longer than this count as aged stock."),
    )
    markdown_elasticity = forms.DecimalField(
        label=_("Price elasticity for markdowns"),
        min_value=Decimal("-10.00"),
        max_value=Decimal("-0.10"),
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
        help_text=_(
            "Assumed % change in units sold per 1 % change in price (negative): at -2, a 10 % "
            "price cut sells about 20 % more."
        ),
    )
    nightly_forecast = forms.BooleanField(label=_("Forecast every night"), required=False)

    @classmethod
    def for_settings(cls, settings: PlanningSettings, data=None) -> PlanningSettingsForm:
        initial = {
            "horizon_days": settings.horizon_days,
            "service_level_percent": fraction_to_percent(settings.service_level),
            "review_period_days": settings.review_period_days,
            "cover_target_days": settings.cover_target_days,
            "aged_after_days": settings.aged_after_days,
            "markdown_elasticity": settings.markdown_elasticity,
            "nightly_forecast": settings.nightly_forecast,
        }
        return cls(data, initial=initial)

    def changes(self) -> dict:
        """The cleaned values as `planning_settings_update` takes them."""
        data = dict(self.cleaned_data)
        data["service_level"] = percent_to_fraction(data.pop("service_level_percent"))
        return data


def _merchant_product(merchant, sku: str):
    sku = (sku or "").strip()
    if not sku:
        return None
    product = Product.objects.for_merchant(merchant).filter(sku=sku).first()
    if product is None:
        raise forms.ValidationError(
            _("None of your products has the SKU “%(sku)s”."), params={"sku": sku}
        )
    return product


class ServiceLevelOverrideForm(BootstrapFormMixin, forms.Form):
    """A target for a whole category or for one product (by SKU)."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    sku = forms.CharField(label=_("or product SKU"), required=False, max_length=64)
    service_level_percent = _service_level_field(label=_("Service level target (%)"))

    def __init__(self, *args, merchant, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant
        self.fields["category"].widget.attrs["translate"] = "no"  # the merchant's names
        self.fields["category"].choices = [
            ("", _("— choose —")),
            *((name, name) for name in categories),
        ]

    def clean_sku(self):
        return _merchant_product(self.merchant, self.cleaned_data.get("sku"))

    def clean(self):
        data = super().clean()
        if "sku" in data and bool(data.get("category")) == (data.get("sku") is not None):
            raise forms.ValidationError(_("Choose either a category or a product SKU."))
        return data

    def override(self) -> dict:
        return {
            "category": self.cleaned_data.get("category") or "",
            "product": self.cleaned_data.get("sku"),
            "service_level": percent_to_fraction(self.cleaned_data["service_level_percent"]),
        }


class CalendarEventForm(BootstrapFormMixin, forms.Form):
    """A holiday, sales event or promotion: store-wide, or for one product (by SKU)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CalendarEventKind.choices, initial=CalendarEventKind.PROMOTION
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    sku = forms.CharField(
        label=_("Product SKU"),
        required=False,
        max_length=64,
        help_text=_("Leave empty for the whole store."),
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant

    def clean_sku(self):
        return _merchant_product(self.merchant, self.cleaned_data.get("sku"))

    def event(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "kind": data["kind"],
            "name": data["name"],
            "product": data.get("sku"),
        }
