from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from crisis.models import CrisisStatus
from crisis.selectors.crises import crises_open_for_dashboard, crisis_board_counts

from .selectors import CHART_DAYS, RATING_WINDOW_DAYS, SALES_WINDOW_DAYS, dashboard_kpis

# Open crises listed on the dashboard, most money at risk first (the board has them all).
DASHBOARD_CRISES = 5


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


@merchant_required()
@require_GET
def dashboard(request):
    merchant = request.merchant
    kpis = dashboard_kpis(merchant=merchant)
    crisis_counts = crisis_board_counts(merchant=merchant)
    return render(
        request,
        "core/dashboard.html",
        {
            "kpis": kpis,
            "chart": sales_chart_data(kpis.chart, currency=merchant.currency),
            "has_sales": any(point.units or point.revenue for point in kpis.chart),
            "sales_window_days": SALES_WINDOW_DAYS,
            "rating_window_days": RATING_WINDOW_DAYS,
            "chart_days": CHART_DAYS,
            "open_crises": crises_open_for_dashboard(merchant=merchant, limit=DASHBOARD_CRISES),
            "open_crisis_count": sum(
                count for status, count in crisis_counts.items() if status != CrisisStatus.RESOLVED
            ),
        },
    )
