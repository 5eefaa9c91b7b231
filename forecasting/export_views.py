"""Downloads of the current forecasts and of daily sales (the plan table's own CSV and Excel
downloads are in `views.py`).

Any member may export: the rows are the ones they can read on the pages. Every query is the
request merchant's; another merchant's product id simply selects nothing.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from core.exports import htmx_download
from products.forms import ProductFilterForm
from products.selectors import product_categories

from .exports import forecast_export, plan_forecast_points, sales_export, sales_export_rows
from .forms import PlanFilterForm
from .selectors.forecasts import plan_categories, plan_list

_MAX_ID = 2**31 - 1


def _product_id(request) -> int | None:
    """The optional `product` of the query (an id); anything else is ignored."""
    try:
        value = int(request.GET.get("product") or "")
    except ValueError:
        return None
    return value if 0 < value <= _MAX_ID else None


@merchant_required()
@require_GET
def forecast_export_view(request, export_format: str):
    """P10/P50/P90 per product and day (or week) of the current forecasts, with model and
    accuracy: the plan table's products (its filters and order), or one `product`."""
    if (redirect := htmx_download(request)) is not None:
        return redirect
    merchant = request.merchant
    form = PlanFilterForm(request.GET, categories=plan_categories(merchant=merchant))
    filters = form.filters()
    product_id = _product_id(request)
    if product_id is not None:
        filters["product_id"] = product_id
    plans = plan_list(merchant=merchant, **filters)
    points = plan_forecast_points(plans, merchant=merchant)
    return forecast_export(points, merchant=merchant, export_format=export_format)


class SalesExportForm(ProductFilterForm):
    """The product list's filters plus the date range of the sales export."""

    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    product = forms.IntegerField(required=False, min_value=1, max_value=_MAX_ID)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def date_errors(self) -> list[str]:
        """Problems with the date range: the export refuses to guess a range."""
        self.is_valid()
        return [
            str(message)
            for name in ("date_from", "date_to")
            for message in self.errors.get(name, [])
        ]

    def export_filters(self) -> dict:
        filters = self.filters()
        data = getattr(self, "cleaned_data", {})
        filters.pop("sort", None)
        return {
            **filters,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "product_id": data.get("product"),
        }


def _bad_range(request, errors: list[str]) -> HttpResponse:
    message = " ".join(errors)
    if request.htmx:
        # The sales export form shows this in its own message slot.
        return HttpResponse(
            format_html('<div class="alert alert-warning py-2 mb-0" role="alert">{}</div>', message)
        )
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@merchant_required()
@require_GET
def sales_export_view(request, export_format: str):
    """Daily units and revenue per product between `date_from` and `date_to` (inclusive,
    either may be left open), for the products the product list's filters select."""
    merchant = request.merchant
    form = SalesExportForm(request.GET, categories=product_categories(merchant=merchant))
    errors = form.date_errors()
    if errors:
        return _bad_range(request, errors)
    if (redirect := htmx_download(request)) is not None:
        return redirect
    sales = sales_export_rows(merchant=merchant, **form.export_filters())
    return sales_export(sales, merchant=merchant, export_format=export_format)
