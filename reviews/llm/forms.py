"""Forms of the review language-model pages. They validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin
from reviews.models import Aspect
from reviews.services.replies import MAX_REPLY_CANDIDATES, MAX_TEMPLATE_CHARS


class ReplyGenerateForm(BootstrapFormMixin, forms.Form):
    template = forms.CharField(
        label=_("Reply template (optional)"),
        required=False,
        max_length=MAX_TEMPLATE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the store offers and how it signs off, e.g. “Defective items are replaced "
            "within 30 days. — The Acme team”. A reply may promise a refund, a replacement or "
            "compensation only if the template offers it."
        ),
    )
    candidates = forms.IntegerField(
        label=_("Candidates"), min_value=1, max_value=MAX_REPLY_CANDIDATES, initial=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].initial = int(getattr(settings, "REVIEW_REPLY_CANDIDATES", 2))


class SummaryGenerateForm(BootstrapFormMixin, forms.Form):
    aspect = forms.ChoiceField(
        label=_("Aspect"),
        required=False,
        choices=[("", _("All reviews and the main aspects")), *Aspect.choices],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("The store's language")), ("en", _("English")), ("zh", "中文")],
    )
