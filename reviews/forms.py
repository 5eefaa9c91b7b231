"""Forms of the review pages: the inbox filters, the insight periods and starting an analysis.

Query-string forms report invalid values and ignore them (the page still renders); ids are
checked against the request merchant's own objects, so another merchant's id is just an
invalid choice.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin
from products.models import Product

from .models import Aspect, ReviewLanguage, Sentiment
from .selectors.pages import inbox_topic_choices

# Above this many products the inbox offers a SKU box instead of a product list.
PRODUCT_CHOICES_MAX = 300
PENDING = "pending"
_MAX_ID = 2**63 - 1


def _product_label(product) -> str:
    title = product.title if len(product.title) <= 50 else f"{product.title[:49]}…"
    return f"{product.sku} · {title}"


def _topic_label(topic) -> str:
    where = topic.product.sku if topic.product_id else topic.category
    return f"{topic.label} ({where}, {topic.size})" if where else f"{topic.label} ({topic.size})"


class InboxFilterForm(BootstrapFormMixin, forms.Form):
    """The review inbox's query string."""

    q = forms.CharField(
        label=_("Search text"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Words in the title or text")}),
    )
    product = forms.IntegerField(
        label=_("Product"), required=False, min_value=1, max_value=_MAX_ID, widget=forms.Select
    )
    sku = forms.CharField(
        label=_("Product SKU"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("SKU contains…")}),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any rating")), *((str(n), f"{n} ★") for n in range(5, 0, -1))],
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"),
        required=False,
        choices=[
            ("", _("Any sentiment")),
            *Sentiment.choices,
            (PENDING, _("not analysed yet")),
        ],
    )
    aspect = forms.ChoiceField(
        label=_("Aspect"), required=False, choices=[("", _("Any aspect")), *Aspect.choices]
    )
    polarity = forms.ChoiceField(
        label=_("Aspect is"),
        required=False,
        choices=[
            ("", _("praised or criticised")),
            (Sentiment.NEGATIVE, _("criticised")),
            (Sentiment.POSITIVE, _("praised")),
        ],
    )
    topic = forms.IntegerField(
        label=_("Complaint topic"),
        required=False,
        min_value=1,
        max_value=_MAX_ID,
        widget=forms.Select,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *ReviewLanguage.choices],
    )
    date_from = forms.DateField(
        label=_("Written from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Written until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    replied = forms.ChoiceField(
        label=_("Reply"),
        required=False,
        choices=[("", _("Replied or not")), ("no", _("not replied")), ("yes", _("replied"))],
    )

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant
        products = Product.objects.for_merchant(merchant).order_by("sku", "pk")
        self.product_count = products.count()
        if self.product_count <= PRODUCT_CHOICES_MAX:
            self.fields["product"].widget.attrs["translate"] = "no"  # SKUs and product titles
            self.fields["product"].widget.choices = [
                ("", _("All products")),
                *((p.pk, _product_label(p)) for p in products.only("pk", "sku", "title")),
            ]
        else:
            # A large catalogue: the product comes from links (insights, product pages) and
            # the SKU box narrows the rest.
            self.fields["product"].widget = forms.HiddenInput()
        self.product_object = None
        product_id = self._raw_id("product")
        if product_id is not None:
            self.product_object = products.filter(pk=product_id).first()
        topics = inbox_topic_choices(
            merchant=merchant, product=self.product_object, include=self._raw_id("topic")
        )
        self.topic_objects = {topic.pk: topic for topic in topics}
        # Topic labels are words of the reviews themselves: data, not UI.
        self.fields["topic"].widget.attrs["translate"] = "no"
        self.fields["topic"].widget.choices = [
            ("", _("Any topic")),
            *((topic.pk, _topic_label(topic)) for topic in topics),
        ]

    def _raw_id(self, name: str) -> int | None:
        try:
            value = int(self.data.get(name) or "")
        except (TypeError, ValueError):
            return None
        return value if 0 < value <= _MAX_ID else None

    def clean_product(self):
        product_id = self.cleaned_data.get("product")
        if product_id is None:
            return None
        if self.product_object is None or self.product_object.pk != product_id:
            raise forms.ValidationError(_("Choose one of your products."), code="invalid_choice")
        return self.product_object

    def clean_topic(self):
        topic_id = self.cleaned_data.get("topic")
        if topic_id is None:
            return None
        topic = self.topic_objects.get(topic_id)
        if topic is None:
            raise forms.ValidationError(_("Choose one of your topics."), code="invalid_choice")
        return topic

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
            data.pop("date_to", None)
        return data

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def filters(self) -> dict:
        """The valid part of the query as `review_inbox_page` arguments."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sentiment = data.get("sentiment") or ""
        replied = {"yes": True, "no": False}.get(data.get("replied") or "")
        filters = {
            "search": data.get("q") or "",
            "product": data.get("product"),
            "sku": data.get("sku") or "",
            "rating": data.get("rating"),
            "sentiment": "" if sentiment == PENDING else sentiment,
            "aspect": data.get("aspect") or "",
            "polarity": data.get("polarity") or "",
            "topic": data.get("topic"),
            "language": data.get("language") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "replied": replied,
        }
        if sentiment == PENDING:
            filters["analysed"] = False
        return filters


class ProductInsightsForm(BootstrapFormMixin, forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Trend over"),
        required=False,
        coerce=int,
        empty_value=12,
        widget=forms.Select(attrs={"class": "form-select-sm w-auto"}),
        choices=[
            ("8", _("8 weeks")),
            ("12", _("12 weeks")),
            ("26", _("26 weeks")),
            ("52", _("52 weeks")),
        ],
    )

    def period(self) -> int:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("weeks") or 12


class MerchantInsightsForm(BootstrapFormMixin, forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=90,
        widget=forms.Select(attrs={"class": "form-select-sm w-auto"}),
        choices=[
            ("30", _("last 30 days")),
            ("90", _("last 90 days")),
            ("180", _("last 180 days")),
            ("365", _("last 365 days")),
        ],
    )

    def period(self) -> int:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("days") or 90


class ReanalyseForm(forms.Form):
    """Start a review analysis: the reviews waiting for one, or all of them (`force`)."""

    force = forms.BooleanField(required=False)
    language = forms.ChoiceField(
        required=False, choices=[("", _("All languages")), *ReviewLanguage.choices]
    )
    next = forms.CharField(required=False, max_length=2000)
