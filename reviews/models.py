from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
