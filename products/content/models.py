"""Drafts of product copy, their edit history, and the published versions of each text.

A `ContentDraft` is one piece of copy (a kind, in a language, for a channel) on its way from
the model to the shop: draft -> approved | rejected, approved -> published. Publishing writes a
`ContentVersion`; versions are append-only and exactly one per (product, kind, language,
channel) is current, so any earlier text can be published again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .kinds import ContentKind, ContentLanguage


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")


class VersionSource(models.TextChoices):
    GENERATED = "generated", _("Generated and approved")
    MANUAL = "manual", _("Edited outside the studio")
    ORIGINAL = "original", _("Text before the studio")
    RESTORED = "restored", _("Restored")


class ContentDraftQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)

    def blocked(self):
        """Drafts whose text has claims the facts do not support and no manager override."""
        return self.filter(unsupported_count__gt=0, override_at__isnull=True)

    def unblocked(self):
        return self.filter(Q(unsupported_count=0) | Q(override_at__isnull=False))


def _user_fk(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class ContentDraft(TimeStampedModel):
    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="content_drafts",
        verbose_name=_("merchant"),
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="content_drafts",
        verbose_name=_("product"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContentKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=ContentLanguage.choices)
    channel = models.CharField(
        _("channel"), max_length=40, blank=True, help_text=_("Ad channel (ad copy only).")
    )
    # Review replies only: the review answered (publishing sets its reply) and the merchant's
    # reply template the draft was written with (its remedies are the only ones a reply may
    # promise; every check of the text uses it again).
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_drafts",
        verbose_name=_("review"),
    )
    reply_template = models.TextField(_("reply template"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    text = models.TextField(_("text"))
    generated_text = models.TextField(_("generated text"), blank=True)
    # Every candidate the model wrote, best first (`Candidate.as_json()`).
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    # The grounding check of the current text: [{text, kind, start, end, supported, evidence}].
    claims = models.JSONField(_("claims"), default=list, blank=True)
    unsupported_count = models.PositiveIntegerField(_("unsupported claims"), default=0)
    coverage = models.FloatField(_("attribute coverage"), null=True, blank=True)
    prompt_version = models.CharField(_("prompt version"), max_length=64, blank=True)
    model = models.CharField(_("model"), max_length=255, blank=True)
    generation_log = models.ForeignKey(
        "core.GenerationLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generation log"),
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="content_drafts",
        verbose_name=_("job"),
    )
    created_by = _user_fk(_("created by"))
    approved_by = _user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    rejected_by = _user_fk(_("rejected by"))
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_by = _user_fk(_("published by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    override_by = _user_fk(_("override by"))
    override_at = models.DateTimeField(_("override"), null=True, blank=True)
    override_reason = models.TextField(_("reason for override"), blank=True)

    objects = ContentDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("content draft")
        verbose_name_plural = _("content drafts")
        constraints = [
            # A redelivered generation task finds the drafts it already wrote instead of
            # writing them again.
            models.UniqueConstraint(
                fields=["job", "product", "kind", "language", "channel"],
                condition=Q(job__isnull=False),
                name="content_draft_job_item_uniq",
            ),
            models.CheckConstraint(
                condition=Q(kind="ad_copy") | Q(channel=""),
                name="content_draft_channel_only_for_ads",
            ),
            # A review reply answers exactly one review; product copy answers none.
            models.CheckConstraint(
                condition=Q(kind="review_reply", review__isnull=False)
                | (~Q(kind="review_reply") & Q(review__isnull=True)),
                name="content_draft_review_only_for_replies",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="content_draft_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(override_at__isnull=True) | ~Q(override_reason=""),
                name="content_draft_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["merchant", "status", "-updated_at"], name="draft_merchant_status"
            ),
            models.Index(
                fields=["product", "kind", "language", "-updated_at"], name="draft_product_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) #{self.pk}"

    @property
    def is_blocked(self) -> bool:
        """Unsupported claims and no override: may not be approved or published."""
        return self.unsupported_count > 0 and self.override_at is None

    @property
    def is_flagged(self) -> bool:
        return self.unsupported_count > 0

    @property
    def is_review_reply(self) -> bool:
        return self.kind == ContentKind.REVIEW_REPLY


class ContentDraftRevision(models.Model):
    """One text a draft had: the generated one, then each edit or chosen candidate."""

    draft = models.ForeignKey(
        ContentDraft, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("draft")
    )
    text = models.TextField(_("text"))
    unsupported_count = models.PositiveIntegerField(_("unsupported claims"), default=0)
    edited_by = _user_fk(_("edited by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["draft", "at", "pk"]
        verbose_name = _("draft revision")
        verbose_name_plural = _("draft revisions")

    def __str__(self) -> str:
        return f"{self.draft_id} @ {self.at:%Y-%m-%d %H:%M}"


class ContentVersionQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)

    def of(self, *, product, kind: str, language: str, channel: str = ""):
        return self.filter(product=product, kind=kind, language=language, channel=channel)


class ContentVersion(models.Model):
    """A published text. Append-only: restoring publishes an old text again as a new row."""

    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="content_versions",
        verbose_name=_("merchant"),
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="content_versions",
        verbose_name=_("product"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContentKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=ContentLanguage.choices)
    channel = models.CharField(_("channel"), max_length=40, blank=True)
    text = models.TextField(_("text"), blank=True)
    draft = models.ForeignKey(
        ContentDraft,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("draft"),
    )
    restored_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restored from"),
    )
    source = models.CharField(_("source"), max_length=10, choices=VersionSource.choices)
    published_by = _user_fk(_("published by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_current = models.BooleanField(_("current"), default=False)

    objects = ContentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind", "language", "channel"],
                condition=Q(is_current=True),
                name="content_version_one_current",
            ),
        ]
        indexes = [
            models.Index(
                fields=["product", "kind", "language", "channel", "-created_at"],
                name="content_version_history",
            ),
            models.Index(fields=["merchant", "-created_at"], name="content_version_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) v{self.pk}"
