from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin

from .events import (
    CHANNEL_DEFAULT_EVENTS,
    CHANNEL_EVENT_CHOICES,
    EVENTS,
    USER_CHANNEL_LABELS,
    USER_CHANNELS,
)
from .models import ChannelKind
from .transports import SecretMode, transport_class

SET_PLACEHOLDER = _("•••• set")


class PreferencesForm(forms.Form):
    """One checkbox per event and user channel, named `<event>__<channel>`."""

    def __init__(self, *args, choices: dict[str, set[str]], **kwargs):
        super().__init__(*args, **kwargs)
        for code in EVENTS:
            for channel in USER_CHANNELS:
                self.fields[f"{code}__{channel}"] = forms.BooleanField(
                    required=False,
                    initial=channel in choices.get(code, set()),
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )

    def rows(self):
        for code, event in EVENTS.items():
            yield {
                "event": event,
                "fields": [
                    (self[f"{code}__{channel}"], USER_CHANNEL_LABELS[channel])
                    for channel in USER_CHANNELS
                ],
            }

    def choices(self) -> dict[str, set[str]]:
        return {
            code: {
                channel for channel in USER_CHANNELS if self.cleaned_data.get(f"{code}__{channel}")
            }
            for code in EVENTS
        }


class ChannelForm(BootstrapFormMixin, forms.Form):
    """Add or edit a channel of one kind. The URL and the secret are never filled back in:
    left blank on edit, they keep their stored value."""

    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Webhook URL"),
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    recipients = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas; at most 20."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=300,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    events = forms.MultipleChoiceField(
        label=_("Events it posts"),
        required=False,
        choices=CHANNEL_EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, kind: str, channel=None, **kwargs):
        if channel is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": channel.name,
                "recipients": "\n".join(channel.recipients),
                "events": channel.events,
            }
        elif channel is None:
            kwargs.setdefault("initial", {"events": CHANNEL_DEFAULT_EVENTS})
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.channel = channel
        transport = transport_class(kind)
        if kind == ChannelKind.EMAIL:
            del self.fields["url"]
        else:
            del self.fields["recipients"]
            url = self.fields["url"]
            url.widget.attrs["placeholder"] = transport.url_placeholder
            if channel is not None:
                url.help_text = _(
                    "Current: %(url)s — it is not shown in full because it holds the chat's "
                    "token. Leave empty to keep it."
                ) % {"url": channel.url_display}
            else:
                url.required = True
        if transport.secret_mode == SecretMode.NONE:
            del self.fields["secret"]
            del self.fields["clear_secret"]
        else:
            secret = self.fields["secret"]
            help_text = str(transport.secret_help)
            if channel is not None and channel.has_secret:
                secret.widget.attrs["placeholder"] = SET_PLACEHOLDER
                help_text = (
                    _("A secret is set (%(set)s). Leave empty to keep it.")
                    % {"set": SET_PLACEHOLDER}
                    + " "
                    + help_text
                )
            secret.help_text = help_text
            if transport.secret_mode == SecretMode.REQUIRED and (
                channel is None or not channel.has_secret
            ):
                secret.required = True
            if (
                transport.secret_mode == SecretMode.REQUIRED
                or channel is None
                or not channel.has_secret
            ):
                del self.fields["clear_secret"]
        self.fields["events"].widget.attrs.pop("class", None)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"name": data["name"], "events": data.get("events", [])}
        if "url" in self.fields:
            kwargs["url"] = data.get("url", "")
        if "recipients" in self.fields:
            kwargs["recipients"] = data.get("recipients", "")
        if "secret" in self.fields:
            kwargs["secret"] = data.get("secret", "")
        if self.channel is not None and "clear_secret" in self.fields:
            kwargs["clear_secret"] = data.get("clear_secret", False)
        return kwargs

    def add_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)
