"""API serializers of the content studio: input (validation) and output kept apart."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import ProductStatus
from .kinds import AD_CHANNELS, COPY_KINDS, ContentKind, ContentLanguage
from .models import ContentDraft, ContentDraftRevision, ContentVersion
from .selectors import current_text, writes_product_field
from .services import MAX_CANDIDATES

# --- Input -------------------------------------------------------------------------------------


class GenerationOptionsInputSerializer(serializers.Serializer):
    # All kinds in the schema (one shared enum); replies are written from reviews, not here.
    kind = serializers.ChoiceField(choices=ContentKind.choices)
    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        required=False,
        help_text=_("Defaults to the merchant's default language."),
    )
    channel = serializers.ChoiceField(
        choices=[(code, channel.label) for code, channel in AD_CHANNELS.items()],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Ad channel; required for ad_copy, ignored otherwise."),
    )
    candidates = serializers.IntegerField(
        min_value=1,
        max_value=MAX_CANDIDATES,
        required=False,
        help_text=_("Candidates written per product (default CONTENT_CANDIDATES)."),
    )

    def validate_kind(self, value):
        if value not in COPY_KINDS:
            raise serializers.ValidationError(
                _("Review replies are written from the review's page, not generated here.")
            )
        return value

    def validate(self, data):
        if data["kind"] == ContentKind.AD_COPY and not data.get("channel"):
            raise serializers.ValidationError({"channel": [_("Ad copy needs a channel.")]})
        if data["kind"] != ContentKind.AD_COPY:
            data["channel"] = ""
        data.setdefault("language", self.context["request"].merchant.default_language)
        data.setdefault("candidates", settings.CONTENT_CANDIDATES)
        return data


class BulkFilterInputSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    category = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    status = serializers.ChoiceField(
        choices=ProductStatus.choices, required=False, allow_blank=True, default=""
    )
    empty_description = serializers.BooleanField(required=False, default=False)


class BulkGenerateInputSerializer(GenerationOptionsInputSerializer):
    product_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        allow_empty=False,
        help_text=_("Ids of the merchant's products (at most CONTENT_BULK_MAX_PRODUCTS)."),
    )
    filter = BulkFilterInputSerializer(
        required=False, help_text=_("Select the products by a filter instead of ids.")
    )

    def validate_product_ids(self, value):
        if len(value) > settings.CONTENT_BULK_MAX_PRODUCTS:
            raise serializers.ValidationError(
                _("At most %(limit)d products per bulk generation.")
                % {"limit": settings.CONTENT_BULK_MAX_PRODUCTS}
            )
        return value

    def validate(self, data):
        data = super().validate(data)
        if ("product_ids" in data) == ("filter" in data):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send either product_ids or filter, not both.")]}
            )
        return data


class DraftEditInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000, trim_whitespace=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DraftChooseInputSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        min_value=0, max_value=100, help_text=_("Candidate position, 0 = best ranked.")
    )


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OverrideInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why the flagged claims are correct (recorded).")
    )


# --- Output ------------------------------------------------------------------------------------


class ClaimOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.CharField()
    start = serializers.IntegerField(help_text=_("Character offset of the claim in the text."))
    end = serializers.IntegerField()
    supported = serializers.BooleanField()
    evidence = serializers.CharField(help_text=_("The fact that supports it; empty if none."))


def _username(user) -> str | None:
    return user.get_username() if user else None


class DraftOutputSerializer(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    blocked = serializers.BooleanField(
        source="is_blocked",
        read_only=True,
        help_text=_("Unsupported claims and no override: cannot be approved or published."),
    )
    created_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    rejected_by = serializers.SerializerMethodField()
    published_by = serializers.SerializerMethodField()
    override_by = serializers.SerializerMethodField()

    class Meta:
        model = ContentDraft
        fields = [
            "id",
            "product",
            "product_sku",
            "kind",
            "language",
            "channel",
            "review",
            "status",
            "text",
            "unsupported_count",
            "blocked",
            "coverage",
            "prompt_version",
            "model",
            "job",
            "created_by",
            "created_at",
            "updated_at",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "published_by",
            "published_at",
            "override_by",
            "override_at",
            "override_reason",
        ]
        read_only_fields = fields

    def get_created_by(self, draft) -> str | None:
        return _username(draft.created_by)

    def get_approved_by(self, draft) -> str | None:
        return _username(draft.approved_by)

    def get_rejected_by(self, draft) -> str | None:
        return _username(draft.rejected_by)

    def get_published_by(self, draft) -> str | None:
        return _username(draft.published_by)

    def get_override_by(self, draft) -> str | None:
        return _username(draft.override_by)


class RevisionOutputSerializer(serializers.ModelSerializer):
    edited_by = serializers.SerializerMethodField()

    class Meta:
        model = ContentDraftRevision
        fields = ["id", "text", "unsupported_count", "edited_by", "at", "note"]
        read_only_fields = fields

    def get_edited_by(self, revision) -> str | None:
        return _username(revision.edited_by)


class DraftDetailOutputSerializer(DraftOutputSerializer):
    claims = ClaimOutputSerializer(many=True, read_only=True)
    candidates = serializers.JSONField(
        read_only=True, help_text=_("Every candidate the model wrote, best first, with scores.")
    )
    revisions = RevisionOutputSerializer(many=True, read_only=True)
    current_text = serializers.SerializerMethodField(
        help_text=_("The published text this draft would replace (for a diff).")
    )
    writes_product_field = serializers.SerializerMethodField(
        help_text=_("The product field publishing writes (title, description) or null.")
    )

    class Meta(DraftOutputSerializer.Meta):
        fields = [
            *DraftOutputSerializer.Meta.fields,
            "generated_text",
            "claims",
            "candidates",
            "revisions",
            "current_text",
            "writes_product_field",
            "generation_log",
            "reply_template",
        ]
        read_only_fields = fields

    def get_current_text(self, draft) -> str:
        if draft.is_review_reply:
            return draft.review.reply_text  # the reply the review shows now
        return current_text(
            product=draft.product, kind=draft.kind, language=draft.language, channel=draft.channel
        )

    def get_writes_product_field(self, draft) -> str | None:
        return writes_product_field(product=draft.product, kind=draft.kind, language=draft.language)


class VersionOutputSerializer(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    published_by = serializers.SerializerMethodField()

    class Meta:
        model = ContentVersion
        fields = [
            "id",
            "product",
            "product_sku",
            "kind",
            "language",
            "channel",
            "text",
            "source",
            "is_current",
            "draft",
            "restored_from",
            "published_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_published_by(self, version) -> str | None:
        return _username(version.published_by)


class PublishOutputSerializer(serializers.Serializer):
    draft = DraftOutputSerializer()
    version = VersionOutputSerializer(
        allow_null=True, help_text=_("The new current version; null for a review reply.")
    )


class JobStartedOutputSerializer(serializers.Serializer):
    job_id = serializers.IntegerField()
    status = serializers.CharField()
    kind = serializers.CharField()
    products = serializers.IntegerField(help_text=_("Products the job covers."))
    waiting_for_queue = serializers.BooleanField(
        help_text=_(
            "True when the task queue was unreachable: the job is kept and starts as soon as "
            "the queue is back."
        )
    )
