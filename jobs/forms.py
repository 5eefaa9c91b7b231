from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin

from .models import JobKind, JobStatus


class JobFilterForm(BootstrapFormMixin, forms.Form):
    """The jobs list's query string. Invalid values are reported and ignored."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *JobKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *JobStatus.choices]
    )
    started_by = forms.TypedChoiceField(
        label=_("Started by"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_by"].widget.attrs["translate"] = "no"  # user names
        self.fields["started_by"].choices = [("", _("Anyone")), *members]

    def filters(self) -> dict:
        """The valid part of the query; what is missing or wrong filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "started_by_id": data.get("started_by"),
        }
