"""Query-string filters of the crisis API lists, applied by the same selectors as the pages."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Alert, AlertKind, AlertStatus, Crisis, CrisisStatus, Severity
from .selectors.crises import UNASSIGNED, alert_list, crisis_board

OPEN = "open"


def _owner(value: str | None):
    if not value:
        return None
    return UNASSIGNED if value == UNASSIGNED else int(value)


class CrisisFilter(django_filters.FilterSet):
    """The crisis board's filters; money at risk first."""

    status = django_filters.ChoiceFilter(
        method="_selected",
        choices=[(OPEN, OPEN), *((value, value) for value in CrisisStatus.values)],
        help_text=_(
            "open (default: every unresolved crisis), or one status: detected, investigating, "
            "mitigating, monitoring, resolved."
        ),
    )
    severity = django_filters.TypedChoiceFilter(
        method="_selected",
        choices=[(value, value) for value in Severity.values],
        coerce=int,
        help_text=_("1 low, 2 medium, 3 high, 4 critical."),
    )
    owner = django_filters.CharFilter(
        method="_selected",
        validators=[RegexValidator(r"^(unassigned|\d{1,10})$", _("A user id or “unassigned”."))],
        help_text=_("User id of the owner, or unassigned."),
    )
    product = django_filters.NumberFilter(method="_selected", help_text=_("Product id."))

    class Meta:
        model = Crisis
        fields: list[str] = []

    def _selected(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        status = data.get("status") or None
        crises = crisis_board(
            merchant=self.request.merchant,
            status=None if status == OPEN else status,
            severity=data.get("severity") or None,
            owner=_owner(data.get("owner")),
        )
        if data.get("product") is not None:
            crises = crises.filter(product_id=int(data["product"]))
        return crises


class AlertFilter(django_filters.FilterSet):
    """The alert list's filters; money at risk first."""

    kind = django_filters.ChoiceFilter(
        method="_selected", choices=AlertKind.choices, help_text=_("The detector's kind.")
    )
    status = django_filters.ChoiceFilter(
        method="_selected",
        choices=AlertStatus.choices,
        help_text=_("open, acknowledged or resolved; default: open and acknowledged."),
    )
    severity = django_filters.TypedChoiceFilter(
        method="_selected",
        choices=[(value, value) for value in Severity.values],
        coerce=int,
        help_text=_("1 low, 2 medium, 3 high, 4 critical."),
    )
    product = django_filters.NumberFilter(method="_selected", help_text=_("Product id."))
    sku = django_filters.CharFilter(method="_selected", help_text=_("Exact SKU."))
    snoozed = django_filters.BooleanFilter(
        method="_selected", help_text=_("true: only snoozed alerts; false: only awake ones.")
    )

    class Meta:
        model = Alert
        fields: list[str] = []

    def _selected(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        alerts = alert_list(
            merchant=self.request.merchant,
            kind=data.get("kind") or None,
            status=data.get("status") or None,
            severity=data.get("severity") or None,
            product=int(data["product"]) if data.get("product") is not None else None,
            snoozed=data.get("snoozed"),
        )
        if data.get("sku"):
            alerts = alerts.filter(product__sku=data["sku"])
        return alerts
