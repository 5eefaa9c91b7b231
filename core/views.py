from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required

from .cockpit import Sparkline, cockpit
from .selectors import CHART_DAYS, RATING_WINDOW_DAYS, SALES_WINDOW_DAYS


@require_GET
def healthz(request):
    """Liveness probe for load balancers; touches nothing but the process itself."""
    return JsonResponse({"status": "ok"})


def sales_chart_data(points, *, currency: str) -> dict:
    """Plain JSON for static/js/charts.js: one trace of revenue, one of units."""
    return {
        "kind": "sales",
        "x": [point.date.isoformat() for point in points],
        "revenue": [float(point.revenue) for point in points],
        "units": [point.units for point in points],
        "labels": {
            "revenue": _("Revenue (%(currency)s)") % {"currency": currency},
            "units": _("Units"),
        },
    }


def sparkline_chart_data(sparkline: Sparkline, *, series: str, label: str) -> dict:
    """A KPI card's weekly trend for static/js/charts.js ("spark": one small line, no axes)."""
    values = getattr(sparkline, series)
    return {
        "kind": "spark",
        "x": [week.isoformat() for week in sparkline.weeks],
        "y": [float(value) for value in values],
        "label": label,
    }


@merchant_required()
@require_GET
def dashboard(request):
    """The operator's cockpit: KPIs, then what needs a decision, each row linking to where it
    is acted on. Read-only, so every role sees it (see `core.cockpit`)."""
    merchant = request.merchant
    board = cockpit(merchant=merchant)
    kpis = board.kpis
    return render(
        request,
        "core/dashboard.html",
        {
            "cockpit": board,
            "kpis": kpis,
            "chart": sales_chart_data(kpis.chart, currency=merchant.currency),
            "has_sales": any(point.units or point.revenue for point in kpis.chart),
            "revenue_spark": sparkline_chart_data(
                board.sparkline,
                series="revenue",
                label=_("Weekly revenue (%(currency)s)") % {"currency": merchant.currency},
            ),
            "units_spark": sparkline_chart_data(
                board.sparkline, series="units", label=_("Weekly units")
            ),
            "sales_window_days": SALES_WINDOW_DAYS,
            "rating_window_days": RATING_WINDOW_DAYS,
            "chart_days": CHART_DAYS,
        },
    )
