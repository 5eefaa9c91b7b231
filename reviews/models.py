from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ReviewLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    OTHER = "other", _("Other")


class Review(models.Model):
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("product"),
    )
    source = models.CharField(
        _("source"), max_length=40, default="manual", help_text=_("Channel, e.g. shopify, taobao.")
    )
    external_id = models.CharField(_("external id"), max_length=128, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=5, choices=ReviewLanguage.choices, blank=True
    )
    author_name = models.CharField(_("author"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    # The merchant's public answer, set when a reply draft is approved.
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "source", "external_id"],
                condition=~Q(external_id=""),
                name="review_merchant_source_external_uniq",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="review_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["merchant", "-created_at"], name="review_merchant_created"),
            models.Index(fields=["product", "-created_at"], name="review_product_created"),
            models.Index(fields=["merchant", "rating"], name="review_merchant_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.rating or '-'}★ {self.title or self.body[:40]}"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


class Aspect(models.TextChoices):
    """The aspect taxonomy (README, "Review intelligence" documents what each one covers)."""

    QUALITY = "quality", _("quality / defects")
    SIZE_FIT = "size_fit", _("size / fit")
    SHIPPING = "shipping", _("shipping / delivery")
    PACKAGING = "packaging", _("packaging")
    PRICE_VALUE = "price_value", _("price / value")
    SERVICE = "service", _("customer service")
    FUNCTION = "function", _("function / performance")
    APPEARANCE = "appearance", _("appearance")
    AUTHENTICITY = "authenticity", _("authenticity")


class ComplaintTopic(TimeStampedModel):
    """A group of negative reviews of one product (or one category) about the same thing.

    Rebuilt by the topic job; labelled by its most distinctive terms. `trend` holds weekly
    counts, oldest first, so pages can draw it and detectors can test it.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="complaint_topics",
        verbose_name=_("product"),
    )
    category = models.CharField(_("category"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=ReviewLanguage.choices)
    label = models.CharField(_("label"), max_length=200)
    terms = models.JSONField(_("terms"), default=list, blank=True)
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices, blank=True)
    size = models.PositiveIntegerField(_("reviews"), default=0)
    # {"weeks": ["2026-10-05", ...], "counts": [3, 5, ...], "change": 0.4}
    trend = models.JSONField(_("trend"), default=dict, blank=True)
    example_review_ids = models.JSONField(_("example reviews"), default=list, blank=True)

    class Meta:
        ordering = ["-size"]
        verbose_name = _("complaint topic")
        verbose_name_plural = _("complaint topics")
        indexes = [
            models.Index(fields=["merchant", "product"], name="topic_merchant_product"),
            models.Index(fields=["merchant", "category"], name="topic_merchant_category"),
        ]

    def __str__(self) -> str:
        return self.label


class ReviewAnalysis(models.Model):
    """What the analyser read in one review; re-written when the analyser version changes."""

    review = models.OneToOneField(
        Review,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="analysis",
        verbose_name=_("review"),
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    # Denormalised from the review so insight queries need no join.
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    analyser_version = models.CharField(_("analyser version"), max_length=40)
    language = models.CharField(_("language"), max_length=5, choices=ReviewLanguage.choices)
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices)
    # Probability that the review is positive, 0..1.
    sentiment_score = models.FloatField(_("sentiment score"))
    # "default" or "merchant:<SentimentModel pk>"
    sentiment_model = models.CharField(_("sentiment model"), max_length=40)
    topic = models.ForeignKey(
        ComplaintTopic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="analyses",
        verbose_name=_("complaint topic"),
    )
    analysed_at = models.DateTimeField(_("analysed"), default=timezone.now)

    class Meta:
        verbose_name = _("review analysis")
        verbose_name_plural = _("review analyses")
        indexes = [
            models.Index(fields=["merchant", "sentiment"], name="analysis_merchant_sentiment"),
            models.Index(fields=["product", "sentiment"], name="analysis_product_sentiment"),
            models.Index(fields=["merchant", "analyser_version"], name="analysis_merchant_version"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.sentiment}"


class AspectMention(models.Model):
    """One aspect a review talks about, with its polarity and the words that carry it."""

    analysis = models.ForeignKey(
        ReviewAnalysis,
        on_delete=models.CASCADE,
        related_name="aspects",
        verbose_name=_("analysis"),
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    polarity = models.CharField(_("polarity"), max_length=8, choices=Sentiment.choices)
    # Character offsets into title + "\n" + body (see reviews.analysis.review_text).
    span_start = models.PositiveIntegerField(_("span start"))
    span_end = models.PositiveIntegerField(_("span end"))
    span_text = models.CharField(_("span"), max_length=300)

    class Meta:
        ordering = ["span_start"]
        verbose_name = _("aspect mention")
        verbose_name_plural = _("aspect mentions")
        indexes = [
            models.Index(fields=["product", "aspect", "polarity"], name="aspect_product"),
            models.Index(fields=["merchant", "aspect", "polarity"], name="aspect_merchant"),
        ]

    def __str__(self) -> str:
        return f"{self.aspect} {self.polarity}"


class SentimentModelStatus(models.TextChoices):
    TRAINING = "training", _("training")
    ACTIVE = "active", _("in use")
    REJECTED = "rejected", _("not better than the default")
    RETIRED = "retired", _("replaced")
    FAILED = "failed", _("failed")


class SentimentModel(TimeStampedModel):
    """A sentiment model trained on one merchant's rated reviews in one language.

    Used instead of the shipped default only when it scored better on a held-out part of the
    merchant's own reviews; both scores are kept so the choice can be checked.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    language = models.CharField(_("language"), max_length=5, choices=ReviewLanguage.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SentimentModelStatus.choices,
        default=SentimentModelStatus.TRAINING,
    )
    trainer_version = models.CharField(_("trainer version"), max_length=40)
    train_reviews = models.PositiveIntegerField(_("training reviews"), default=0)
    heldout_reviews = models.PositiveIntegerField(_("held-out reviews"), default=0)
    heldout_accuracy = models.FloatField(_("held-out accuracy"), null=True, blank=True)
    heldout_macro_f1 = models.FloatField(_("held-out macro-F1"), null=True, blank=True)
    default_accuracy = models.FloatField(_("default's held-out accuracy"), null=True, blank=True)
    default_macro_f1 = models.FloatField(_("default's held-out macro-F1"), null=True, blank=True)
    # The fitted model, serialised by reviews.analysis (never user-supplied bytes).
    artifact = models.BinaryField(_("model"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sentiment model")
        verbose_name_plural = _("sentiment models")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "language"],
                condition=Q(status="active"),
                name="sentiment_model_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id} {self.language} ({self.get_status_display()})"


class ReviewSummary(TimeStampedModel):
    """ "What customers say" about one product (or one of its aspects), every statement cited.

    `statements`: [{"text": .., "review_ids": [..], "polarity": ..}]; statements the checker could
    not tie to a cited review are counted in `dropped` and never shown.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="review_summaries",
        verbose_name=_("product"),
    )
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices, blank=True)
    language = models.CharField(_("language"), max_length=5)
    statements = models.JSONField(_("statements"), default=list)
    dropped = models.PositiveIntegerField(_("statements dropped"), default=0)
    reviews_considered = models.PositiveIntegerField(_("reviews considered"), default=0)
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review summary")
        verbose_name_plural = _("review summaries")
        indexes = [
            models.Index(
                fields=["product", "aspect", "language", "-created_at"], name="summary_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.aspect or 'all'} {self.language}"
