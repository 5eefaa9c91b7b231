from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from core.htmx import is_partial
from core.selectors import merchant_today
from core.views import sales_chart_data
from forecasting.selectors import sales_daily_series
from forecasting.selectors.forecasts import forecast_current, forecast_summary, plan_for_product
from reviews.selectors import product_reviews
from reviews.selectors.pages import product_review_snapshot

from .forms import ProductFilterForm
from .selectors import product_categories, product_get, product_list, stock_history

PRODUCTS_PER_PAGE = 50
REVIEWS_PER_PAGE = 10
HISTORY_DAYS = 365


@merchant_required()
@require_GET
def product_list_view(request):
    merchant = request.merchant
    form = ProductFilterForm(request.GET, categories=product_categories(merchant=merchant))
    products = product_list(merchant=merchant, **form.filters())
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "products": page.object_list}
    template = "products/_product_table.html" if is_partial(request) else "products/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _attribute_text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def stock_chart_data(snapshots) -> dict:
    return {
        "kind": "stock",
        "x": [snapshot.date.isoformat() for snapshot in snapshots],
        "on_hand": [snapshot.on_hand for snapshot in snapshots],
        "inbound": [snapshot.inbound for snapshot in snapshots],
        "labels": {"on_hand": _("On hand"), "inbound": _("Inbound")},
    }


@merchant_required()
@require_GET
def product_detail(request, product_id: int):
    merchant = request.merchant
    product = product_get(merchant=merchant, product_id=product_id)
    reviews = Paginator(product_reviews(product=product), REVIEWS_PER_PAGE).get_page(
        request.GET.get("reviews_page")
    )
    if is_partial(request) and "reviews_page" in request.GET:
        response = render(
            request, "products/_review_items.html", {"product": product, "reviews": reviews}
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    today = merchant_today(merchant=merchant)
    start = today - dt.timedelta(days=HISTORY_DAYS - 1)
    sales = sales_daily_series(merchant=merchant, product=product, start=start, end=today)
    snapshots = stock_history(product=product, start=start, end=today)
    attributes = sorted(
        (str(key), _attribute_text(value)) for key, value in (product.attributes or {}).items()
    )
    stock = getattr(product, "stock", None)
    response = render(
        request,
        "products/detail.html",
        {
            "product": product,
            "stock": stock,
            "attributes": attributes,
            "reviews": reviews,
            "sales_chart": sales_chart_data(sales, currency=product.currency),
            "has_sales": any(point.units or point.revenue for point in sales),
            "stock_chart": stock_chart_data(snapshots),
            "has_stock_history": bool(snapshots),
            "history_days": HISTORY_DAYS,
            "forecast_summary": forecast_summary(
                forecast_current(merchant=merchant, product=product)
            ),
            "plan": plan_for_product(merchant=merchant, product=product),
            "review_snapshot": product_review_snapshot(merchant=merchant, product=product),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
