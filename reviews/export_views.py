"""Download of the review inbox with its analyses: every review the inbox's filters select,
newest first. Any member may export (the same reviews they read in the inbox)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from core.exports import htmx_download

from .exports import review_export
from .forms import InboxFilterForm
from .selectors.pages import review_inbox_page


@merchant_required()
@require_GET
def review_export_view(request, export_format: str):
    if (redirect := htmx_download(request)) is not None:
        return redirect
    merchant = request.merchant
    form = InboxFilterForm(request.GET, merchant=merchant)
    reviews = review_inbox_page(merchant=merchant, **form.filters())
    return review_export(reviews, merchant=merchant, export_format=export_format)
