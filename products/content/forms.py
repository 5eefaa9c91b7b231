"""Forms of the content studio pages. They validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin

from ..models import ProductStatus
from .kinds import AD_CHANNELS, COPY_KIND_CHOICES, ContentKind, ContentLanguage, max_chars
from .services import MAX_CANDIDATES

CHANNEL_CHOICES = [
    ("", _("— (ad copy only)")),
    *(
        (code, format_lazy("{} · {}", channel.display_label, channel.max_chars))
        for code, channel in AD_CHANNELS.items()
    ),
]
QUEUE_CHOICES = [
    ("waiting", _("Waiting for approval")),
    ("flagged", _("Flagged")),
    ("approved", _("Approved, not published")),
    ("published", _("Published")),
    ("rejected", _("Rejected")),
    ("all", _("All")),
]


class GenerationOptionsForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=COPY_KIND_CHOICES)
    language = forms.ChoiceField(label=_("Language"), choices=ContentLanguage.choices)
    channel = forms.ChoiceField(
        label=_("Ad channel"),
        choices=CHANNEL_CHOICES,
        required=False,
        help_text=_("For ad copy: the placement, with its length limit in characters."),
    )
    candidates = forms.IntegerField(
        label=_("Candidates"), min_value=1, max_value=MAX_CANDIDATES, initial=3
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        # The merchant's default language unless the user picks another for this product.
        self.fields["language"].initial = merchant.default_language
        self.fields["candidates"].initial = settings.CONTENT_CANDIDATES

    def clean(self):
        data = super().clean()
        if data.get("kind") == ContentKind.AD_COPY:
            if not data.get("channel"):
                self.add_error("channel", _("Ad copy needs a channel."))
        else:
            data["channel"] = ""
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "language": data["language"],
            "channel": data["channel"],
            "candidates": data["candidates"],
        }


class BulkGenerateForm(GenerationOptionsForm):
    """Which products (a filter) and what to write for each."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("SKU, title or brand")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(
        label=_("Product status"),
        required=False,
        choices=[("", _("All statuses")), *ProductStatus.choices],
    )
    empty_description = forms.BooleanField(
        label=_("Only products with an empty description"), required=False
    )

    field_order = ["q", "category", "status", "empty_description"]

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["translate"] = "no"  # the merchant's names
        self.fields["category"].choices = [
            ("", _("All categories")),
            *((name, name) for name in categories),
        ]

    def product_filter(self) -> dict:
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "category": data.get("category") or "",
            "status": data.get("status") or "",
            "empty_description": bool(data.get("empty_description")),
        }


class DraftEditForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        help_text=_("What you changed and why; kept in the draft's history."),
    )

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_chars(draft.kind, draft.channel)
        if limit:
            self.fields["text"].max_length = limit
            self.fields["text"].widget.attrs["maxlength"] = limit
            self.fields["text"].help_text = _("At most %(limit)d characters.") % {"limit": limit}


class RejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class OverrideForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are the flagged claims correct?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DraftFilterForm(BootstrapFormMixin, forms.Form):
    queue = forms.ChoiceField(label=_("Queue"), required=False, choices=QUEUE_CHOICES)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ContentKind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *ContentLanguage.choices],
    )
    q = forms.CharField(
        label=_("Product"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("SKU or title")}),
    )
    job = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        # A job's drafts are shown whatever their state; otherwise the queue that needs work.
        queue = data.get("queue") or ("all" if data.get("job") else "waiting")
        return {
            "queue": "" if queue == "all" else queue,
            "kind": data.get("kind") or "",
            "language": data.get("language") or "",
            "search": data.get("q") or "",
            "job_id": data.get("job") or None,
        }
