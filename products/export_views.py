"""Downloads of the product list: every product the page's filters select, in its order.

Any member may export (the same rows they can read on the page).
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from core.exports import htmx_download

from .exports import product_export
from .forms import ProductFilterForm
from .selectors import product_categories, product_list


@merchant_required()
@require_GET
def product_export_view(request, export_format: str):
    """The filtered, sorted product list, every row (not one page), as CSV or Excel."""
    if (redirect := htmx_download(request)) is not None:
        return redirect
    merchant = request.merchant
    form = ProductFilterForm(request.GET, categories=product_categories(merchant=merchant))
    products = product_list(merchant=merchant, **form.filters())
    return product_export(products, merchant=merchant, export_format=export_format)
