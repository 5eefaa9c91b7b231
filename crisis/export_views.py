"""Download of the alert list: every alert its filters select, in its order. Any member may
export (the same alerts they read on the page)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from core.exports import htmx_download

from .exports import alert_export
from .forms import AlertFilterForm
from .selectors.crises import alert_list


@merchant_required()
@require_GET
def alert_export_view(request, export_format: str):
    if (redirect := htmx_download(request)) is not None:
        return redirect
    merchant = request.merchant
    form = AlertFilterForm(request.GET, merchant=merchant)
    alerts = alert_list(merchant=merchant, **form.filters())
    return alert_export(alerts, merchant=merchant, export_format=export_format)
