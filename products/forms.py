from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin

from .models import ProductStatus
from .selectors import DEFAULT_PRODUCT_SORT

SORT_CHOICES = [
    ("sku", _("SKU (A→Z)")),
    ("-sku", _("SKU (Z→A)")),
    ("title", _("Title (A→Z)")),
    ("-title", _("Title (Z→A)")),
    ("price", _("Price (low to high)")),
    ("-price", _("Price (high to low)")),
    ("stock", _("Stock on hand (low to high)")),
    ("-stock", _("Stock on hand (high to low)")),
    ("-updated", _("Recently updated")),
    ("updated", _("Least recently updated")),
]


class ProductFilterForm(BootstrapFormMixin, forms.Form):
    """The product list's query string. Invalid values are reported and ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("SKU, title or brand")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ProductStatus.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

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
            "status": data.get("status") or "",
            "sort": data.get("sort") or DEFAULT_PRODUCT_SORT,
        }
