"""Forms of the crisis pages: the board's and the alert list's query strings, and every write a
person makes on a crisis or an alert (comment, status, owner, resolve with a post-mortem,
snooze, propose an action) plus the crisis settings.

Forms validate input and shape it the way the services take it; the services decide.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin
from accounts.selectors import merchant_members
from core.selectors import merchant_day_start, merchant_today
from products.models import Product

from .models import (
    ActionKind,
    AlertKind,
    AlertStatus,
    CrisisStatus,
    Severity,
)

ALL = "all"
UNASSIGNED = "unassigned"
SNOOZE_DAY = "day"
SNOOZE_WEEK = "week"
SNOOZE_UNTIL = "until"
SNOOZE_CHOICES = [
    (SNOOZE_DAY, _("For 1 day")),
    (SNOOZE_WEEK, _("For 1 week")),
    (SNOOZE_UNTIL, _("Until a date")),
]
SNOOZE_LONGEST_DAYS = 90
COMMENT_MAX = 4000
POSTMORTEM_MAX = 4000


def _member_choices(merchant) -> list[tuple[str, str]]:
    return [
        (str(member.user_id), member.user.get_username())
        for member in merchant_members(merchant=merchant)
    ]


def _severity_choices(blank_label) -> list[tuple[str, str]]:
    return [("", blank_label), *((str(value), label) for value, label in Severity.choices)]


# --- Query strings -------------------------------------------------------------------------------


class CrisisFilterForm(BootstrapFormMixin, forms.Form):
    """The crisis board's filters. Invalid values are ignored (shown under the field)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Every open crisis")),
            *((value, label) for value, label in CrisisStatus.choices),
        ]
        self.fields["severity"].choices = _severity_choices(_("Any severity"))
        self.fields["owner"].widget.attrs["translate"] = "no"  # user names
        self.fields["owner"].choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody yet")),
            *_member_choices(merchant),
        ]

    def filters(self) -> dict:
        """`crisis_board` keyword arguments from the valid part of the query."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        owner = data.get("owner") or None
        return {
            "status": data.get("status") or None,
            "severity": int(data["severity"]) if data.get("severity") else None,
            "owner": owner if owner in (None, UNASSIGNED) else int(owner),
        }


class AlertFilterForm(BootstrapFormMixin, forms.Form):
    """The alert list's filters: kind, status, severity, product, snoozed."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), required=False)
    sku = forms.CharField(label=_("Product SKU"), required=False, max_length=64)
    product = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    snoozed = forms.ChoiceField(
        label=_("Snoozed"),
        required=False,
        choices=[("", _("Snoozed or not")), ("yes", _("Snoozed only")), ("no", _("Not snoozed"))],
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant
        self.fields["kind"].choices = [("", _("Every kind")), *AlertKind.choices]
        self.fields["status"].choices = [
            ("", _("Open or acknowledged")),
            *AlertStatus.choices,
            (ALL, _("Any status")),
        ]
        self.fields["severity"].choices = _severity_choices(_("Any severity"))

    def clean_sku(self):
        sku = (self.cleaned_data.get("sku") or "").strip()
        if not sku:
            return None
        product = Product.objects.for_merchant(self.merchant).filter(sku=sku).first()
        if product is None:
            raise forms.ValidationError(
                _("None of your products has the SKU “%(sku)s”."), params={"sku": sku}
            )
        return product

    def clean_product(self):
        product_id = self.cleaned_data.get("product")
        if product_id is None:
            return None
        product = Product.objects.for_merchant(self.merchant).filter(pk=product_id).first()
        if product is None:
            raise forms.ValidationError(_("This product is not one of yours."))
        return product

    def filters(self) -> dict:
        """`alert_list` keyword arguments from the valid part of the query."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        snoozed = data.get("snoozed")
        return {
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "severity": int(data["severity"]) if data.get("severity") else None,
            "product": data.get("sku") or data.get("product"),
            "snoozed": {"yes": True, "no": False}.get(snoozed),
        }


# --- Writes on a crisis --------------------------------------------------------------------------


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text


class StatusForm(BootstrapFormMixin, forms.Form):
    """Move a crisis along, to one of the statuses its current one allows
    (`crisis.selectors.crises.crisis_status_choices`). Resolving has its own form: it asks for
    a post-mortem."""

    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("— choose —")), *choices]


class AssignForm(BootstrapFormMixin, forms.Form):
    """The owner of a crisis: one of the merchant's members."""

    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)

    def __init__(self, *args, merchant, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant
        self.fields["owner"].widget.attrs["translate"] = "no"  # user names
        self.fields["owner"].choices = [("", _("— choose a member —")), *_member_choices(merchant)]
        if current is not None:
            self.fields["owner"].initial = str(current.pk)

    def clean_owner(self):
        user_id = self.cleaned_data["owner"]
        member = merchant_members(merchant=self.merchant).filter(user_id=user_id).first()
        if member is None:
            raise forms.ValidationError(_("Choose a member of this store."))
        return member.user


class ResolveForm(BootstrapFormMixin, forms.Form):
    """Closing a crisis asks for a short post-mortem; the cause is required."""

    cause = forms.CharField(
        label=_("Cause"),
        max_length=POSTMORTEM_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What caused it, in a sentence or two."),
    )
    worked = forms.CharField(
        label=_("What worked"),
        required=False,
        max_length=POSTMORTEM_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    followups = forms.CharField(
        label=_("Follow-ups"),
        required=False,
        max_length=POSTMORTEM_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What should change so it does not happen again."),
    )

    def clean_cause(self):
        cause = self.cleaned_data["cause"].strip()
        if not cause:
            raise forms.ValidationError(_("Say what caused the crisis."))
        return cause

    def postmortem(self) -> dict:
        data = self.cleaned_data
        return {
            "cause": data["cause"],
            "worked": data.get("worked", "").strip(),
            "followups": data.get("followups", "").strip(),
        }


class ActionProposeForm(BootstrapFormMixin, forms.Form):
    """A response step for a manager to approve; the numbers each kind needs are asked for."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    detail = forms.CharField(
        label=_("Detail"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    units = forms.IntegerField(
        label=_("Units to order"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text=_("For “Order stock”."),
    )
    price_cut_percent = forms.DecimalField(
        label=_("Price cut (%)"),
        required=False,
        min_value=Decimal("1"),
        max_value=Decimal("90"),
        max_digits=4,
        decimal_places=1,
        help_text=_("For “Mark down”."),
    )
    days = forms.IntegerField(
        label=_("For how many days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("For “Mark down”."),
    )
    proposed_text = forms.CharField(
        label=_("Proposed text"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For “Fix the listing” and “Customer reply”."),
    )
    review_id = forms.IntegerField(
        label=_("Review number"),
        required=False,
        min_value=1,
        help_text=_("For “Customer reply”: the review to answer."),
    )

    REQUIRED = {
        ActionKind.REORDER: ("units",),
        ActionKind.MARKDOWN: ("price_cut_percent", "days"),
        ActionKind.LISTING_FIX: ("proposed_text",),
        ActionKind.CUSTOMER_REPLY: ("proposed_text",),
    }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name in self.REQUIRED.get(kind, ()):
            if name in self.fields and data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This kind of action needs this value."))
        return data

    def action(self) -> dict:
        """`action_propose` keyword arguments (without crisis and user)."""
        data = self.cleaned_data
        kind = data["kind"]
        params: dict = {}
        if kind == ActionKind.REORDER:
            params = {"units": data["units"]}
        elif kind == ActionKind.MARKDOWN:
            params = {
                "price_cut": float(data["price_cut_percent"] / 100),
                "days": data["days"],
            }
        elif kind == ActionKind.LISTING_FIX:
            params = {"proposed_text": data["proposed_text"].strip()}
        elif kind == ActionKind.CUSTOMER_REPLY:
            params = {"proposed_text": data["proposed_text"].strip()}
            if data.get("review_id"):
                params["review_id"] = data["review_id"]
        return {
            "kind": kind,
            "title": data["title"].strip(),
            "detail": (data.get("detail") or "").strip(),
            "params": params,
        }


class RejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why not"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.TextInput(),
    )


# --- Writes on an alert --------------------------------------------------------------------------


class SnoozeForm(BootstrapFormMixin, forms.Form):
    """Snooze for a day, a week, or until the start of a chosen day (the store's time zone)."""

    period = forms.ChoiceField(label=_("Snooze"), choices=SNOOZE_CHOICES, initial=SNOOZE_DAY)
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The alert comes back at the start of this day."),
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant

    def clean(self):
        data = super().clean()
        if data.get("period") == SNOOZE_UNTIL:
            day = data.get("until")
            today = merchant_today(merchant=self.merchant)
            if day is None:
                if "until" not in self.errors:
                    self.add_error("until", _("Choose the day the alert should come back."))
            elif day <= today:
                self.add_error("until", _("Choose a day after today."))
            elif day > today + dt.timedelta(days=SNOOZE_LONGEST_DAYS):
                self.add_error(
                    "until",
                    _("Snooze for at most %(days)s days.") % {"days": SNOOZE_LONGEST_DAYS},
                )
        return data

    def snoozed_until(self, *, now: dt.datetime | None = None) -> dt.datetime:
        now = now or timezone.now()
        period = self.cleaned_data["period"]
        if period == SNOOZE_DAY:
            return now + dt.timedelta(days=1)
        if period == SNOOZE_WEEK:
            return now + dt.timedelta(weeks=1)
        return merchant_day_start(merchant=self.merchant, day=self.cleaned_data["until"])


# --- Settings ------------------------------------------------------------------------------------

THRESHOLD_GROUPS = {
    "severity": _("Severity and money at risk"),
    "stockout": _("Stockout risk"),
    "overstock": _("Overstock"),
    "sales_drop": _("Sales drop"),
    "reviews": _("Negative-review surge"),
    "rating": _("Rating drop"),
}


def _number_text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _threshold_field(spec, *, currency: str) -> forms.Field:
    help_text = _("%(help)s Default: %(default)s.") % {
        "help": spec.help,
        "default": _number_text(spec.default),
    }
    label = spec.label
    if spec.type == "money":
        label = _("%(label)s (%(currency)s)") % {"label": spec.label, "currency": currency}
        return forms.DecimalField(
            label=label,
            help_text=help_text,
            min_value=Decimal(str(spec.min)),
            max_value=Decimal(str(spec.max)),
            max_digits=14,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01"}),
        )
    if spec.type == "int":
        return forms.IntegerField(
            label=label,
            help_text=help_text,
            min_value=int(spec.min),
            max_value=int(spec.max),
        )
    return forms.FloatField(
        label=label,
        help_text=help_text,
        min_value=spec.min,
        max_value=spec.max,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class CrisisSettingsForm(BootstrapFormMixin, forms.Form):
    """Built from `crisis.detectors.config.THRESHOLD_FIELDS` (every threshold with its range and
    default) plus the SLA hours of every severity and the scheduled scans switch.

    Values equal to the default are not stored as overrides, so a later change of a default
    reaches every store that never changed it.
    """

    scans_enabled = forms.BooleanField(
        label=_("Scheduled scans"),
        required=False,
        help_text=_("Scan the store on a schedule, as well as after every import and forecast."),
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        from .detectors.config import DEFAULT_SLA_HOURS, THRESHOLD_FIELDS
        from .services.settings import MAX_SLA_HOURS

        super().__init__(*args, **kwargs)
        self.threshold_specs = {spec.name: spec for spec in THRESHOLD_FIELDS}
        self.default_sla = DEFAULT_SLA_HOURS
        for spec in THRESHOLD_FIELDS:
            self.fields[spec.name] = _threshold_field(spec, currency=currency)
        for severity in sorted(Severity, key=lambda level: -level.value):
            acknowledge, resolve = DEFAULT_SLA_HOURS[severity.value]
            for step, label, default in (
                ("acknowledge", _("%(severity)s: hours to acknowledge"), acknowledge),
                ("resolve", _("%(severity)s: hours to resolve"), resolve),
            ):
                self.fields[f"sla_{severity.value}_{step}"] = forms.DecimalField(
                    label=label % {"severity": severity.label},
                    min_value=Decimal("0.1"),
                    max_value=Decimal(MAX_SLA_HOURS),
                    max_digits=6,
                    decimal_places=1,
                    help_text=_("Default: %(hours)s.") % {"hours": default},
                    widget=forms.NumberInput(attrs={"step": "0.5"}),
                )
        # BootstrapFormMixin styled the declared fields only; these were added after it ran.
        for name, field in self.fields.items():
            css = field.widget.attrs.get("class", "")
            if name != "scans_enabled" and "form-control" not in css:
                field.widget.attrs["class"] = f"{css} form-control".strip()

    @classmethod
    def for_settings(cls, settings_row, data=None, *, currency: str = "") -> CrisisSettingsForm:
        from .detectors.config import thresholds_as_json
        from .services.settings import crisis_sla_hours, crisis_thresholds

        thresholds = thresholds_as_json(crisis_thresholds(settings_row=settings_row))
        initial: dict = {"scans_enabled": settings_row.scans_enabled, **thresholds}
        for severity, (acknowledge, resolve) in crisis_sla_hours(settings_row=settings_row).items():
            initial[f"sla_{severity}_acknowledge"] = _hours(acknowledge)
            initial[f"sla_{severity}_resolve"] = _hours(resolve)
        return cls(data, initial=initial, currency=currency)

    def threshold_groups(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = {}
        for name, spec in self.threshold_specs.items():
            groups.setdefault(spec.group, []).append(self[name])
        return [(THRESHOLD_GROUPS.get(group, group), fields) for group, fields in groups.items()]

    def sla_rows(self) -> list[tuple[str, object, object]]:
        return [
            (
                severity.label,
                self[f"sla_{severity.value}_acknowledge"],
                self[f"sla_{severity.value}_resolve"],
            )
            for severity in sorted(Severity, key=lambda level: -level.value)
        ]

    def _threshold_overrides(self) -> dict:
        overrides = {}
        for name, spec in self.threshold_specs.items():
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            if spec.type == "money":
                if Decimal(value) != Decimal(spec.default):
                    overrides[name] = str(Decimal(value).quantize(Decimal("0.01")))
            elif spec.type == "int":
                if int(value) != int(spec.default):
                    overrides[name] = int(value)
            elif float(value) != float(spec.default):
                overrides[name] = float(value)
        return overrides

    def _sla_overrides(self) -> dict:
        overrides = {}
        for severity, (default_acknowledge, default_resolve) in self.default_sla.items():
            acknowledge = self.cleaned_data.get(f"sla_{severity}_acknowledge")
            resolve = self.cleaned_data.get(f"sla_{severity}_resolve")
            if acknowledge is None or resolve is None:
                continue
            pair = [float(acknowledge), float(resolve)]
            if pair != [float(default_acknowledge), float(default_resolve)]:
                overrides[str(severity)] = pair
        return overrides

    def clean(self):
        from .detectors.config import thresholds_from_overrides

        data = super().clean()
        if not self.errors:
            try:
                thresholds_from_overrides(self._threshold_overrides())
            except ValueError as error:
                name, _sep, message = str(error).partition(": ")
                if name in self.fields:
                    self.add_error(name, message or str(error))
                else:
                    self.add_error(None, str(error))
        for severity in self.default_sla:
            acknowledge = data.get(f"sla_{severity}_acknowledge")
            resolve = data.get(f"sla_{severity}_resolve")
            if acknowledge is not None and resolve is not None and acknowledge > resolve:
                self.add_error(
                    f"sla_{severity}_acknowledge",
                    _("Acknowledging cannot take longer than resolving."),
                )
        return data

    def changes(self) -> dict:
        """`crisis_settings_update` keyword arguments (without the merchant)."""
        return {
            "thresholds": self._threshold_overrides(),
            "sla_hours": self._sla_overrides(),
            "scans_enabled": bool(self.cleaned_data.get("scans_enabled")),
        }


def _hours(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))
