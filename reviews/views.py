from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.decorators import merchant_required
from accounts.forms import BootstrapFormMixin

from .models import ReviewLanguage
from .selectors import review_list

REVIEWS_PER_PAGE = 50


class ReviewFilterForm(BootstrapFormMixin, forms.Form):
    """The review list's query string. Invalid values are reported and ignored."""

    q = forms.CharField(
        label=_("Search text"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Words in the title or text")}),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any rating")), *((str(n), f"{n} ★") for n in range(5, 0, -1))],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *ReviewLanguage.choices],
    )
    sku = forms.CharField(
        label=_("Product SKU"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("SKU contains…")}),
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q") or "",
            "rating": data.get("rating"),
            "language": data.get("language") or "",
            "sku": data.get("sku") or "",
        }


@merchant_required()
@require_GET
def review_list_view(request):
    form = ReviewFilterForm(request.GET)
    reviews = review_list(merchant=request.merchant, **form.filters())
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "reviews/_review_table.html" if partial else "reviews/list.html"
    response = render(request, template, {"form": form, "page": page, "reviews": page.object_list})
    patch_vary_headers(response, ["HX-Request"])
    return response
