from __future__ import annotations

import re
import zoneinfo

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import Merchant, Role


class BootstrapFormMixin:
    """Give every widget the Bootstrap class it needs, so templates stay one loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class LoginForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class MerchantForm(BootstrapFormMixin, forms.ModelForm):
    # IANA names ("Asia/Shanghai") are identifiers, the same in every language.
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_timezone_choices,
        widget=forms.Select(attrs={"translate": "no"}),
    )

    class Meta:
        model = Merchant
        fields = ["name", "currency", "timezone", "default_language"]
        labels = {
            "name": _("Name"),
            "currency": _("Currency"),
            "default_language": _("Default language"),
        }
        help_texts = {"currency": _("Three-letter ISO 4217 code, e.g. USD, CNY, EUR.")}

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise forms.ValidationError(_("Enter a three-letter currency code, e.g. USD."))
        return value


class MemberAddForm(BootstrapFormMixin, forms.Form):
    username_or_email = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        help_text=_("The person must already have an EcomOps login."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class MemberRoleForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
