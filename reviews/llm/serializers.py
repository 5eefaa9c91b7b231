"""API serializers of the review language-model features: input and output kept apart."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products.content.serializers import ClaimOutputSerializer, DraftOutputSerializer
from reviews.models import Aspect, ReviewLanguage, ReviewSummary
from reviews.services.replies import MAX_REPLY_CANDIDATES, MAX_TEMPLATE_CHARS

from .selectors import summary_method

# --- Input ---------------------------------------------------------------------------------------


class SummaryStartInputSerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(
        choices=Aspect.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Summarise this aspect only; empty: the whole product and its main aspects."),
    )
    language = serializers.ChoiceField(
        choices=ReviewLanguage.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("en or zh; empty: the merchant's language (or the reviews' when it has none)."),
    )

    def validate_language(self, value):
        if value == ReviewLanguage.OTHER:
            raise serializers.ValidationError(_("Summaries are written in English or Chinese."))
        return value


class SummaryLatestQuerySerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(
        choices=Aspect.choices, required=False, allow_blank=True, default=""
    )
    language = serializers.ChoiceField(
        choices=ReviewLanguage.choices, required=False, allow_blank=True, default=""
    )


class ReplyStartInputSerializer(serializers.Serializer):
    template = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_TEMPLATE_CHARS,
        help_text=_(
            "The merchant's reply template: what the store offers and how it signs off. A reply "
            "may promise a refund, replacement or compensation only if the template offers it."
        ),
    )
    candidates = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_REPLY_CANDIDATES,
        help_text=_("Candidates written (default REVIEW_REPLY_CANDIDATES, 2)."),
    )


# --- Output --------------------------------------------------------------------------------------


class ReviewJobStartedOutputSerializer(serializers.Serializer):
    job_id = serializers.IntegerField()
    status = serializers.CharField()
    kind = serializers.CharField()
    waiting_for_queue = serializers.BooleanField(
        help_text=_(
            "True when the task queue was unreachable: the job is kept and starts as soon as "
            "the queue is back."
        )
    )


class CitationOutputSerializer(serializers.Serializer):
    review_id = serializers.IntegerField()
    url = serializers.CharField(help_text=_("The review's page in the portal."))


class StatementOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    polarity = serializers.CharField(help_text=_("positive, negative or neutral."))
    method = serializers.CharField(
        help_text=_("model (written by the model and checked) or extractive (quoted).")
    )
    review_ids = serializers.ListField(child=serializers.IntegerField())
    citations = CitationOutputSerializer(many=True)


class SummaryOutputSerializer(serializers.ModelSerializer):
    method = serializers.SerializerMethodField(
        help_text=_(
            "model, extractive (the model's statements could not be tied to reviews) or empty."
        )
    )
    statements = serializers.SerializerMethodField()

    class Meta:
        model = ReviewSummary
        fields = [
            "id",
            "product",
            "aspect",
            "language",
            "method",
            "statements",
            "dropped",
            "reviews_considered",
            "job",
            "created_at",
        ]
        read_only_fields = fields

    def get_method(self, summary) -> str:
        return summary_method(summary)

    @staticmethod
    def _ids(statement) -> list[int]:
        ids = []
        for value in statement.get("review_ids", []):
            try:
                ids.append(int(value))
            except (TypeError, ValueError):
                continue
        return ids

    @extend_schema_field(StatementOutputSerializer(many=True))
    def get_statements(self, summary) -> list[dict]:
        rows = []
        for statement in summary.statements or []:
            ids = self._ids(statement)
            rows.append(
                {
                    "text": str(statement.get("text", "")),
                    "polarity": str(statement.get("polarity", "neutral")),
                    "method": str(statement.get("method", "model")),
                    "review_ids": ids,
                    "citations": [
                        {
                            "review_id": review_id,
                            "url": reverse("review-detail", kwargs={"review_id": review_id}),
                        }
                        for review_id in ids
                    ],
                }
            )
        return StatementOutputSerializer(rows, many=True).data


class ReplyDraftOutputSerializer(DraftOutputSerializer):
    claims = ClaimOutputSerializer(many=True, read_only=True)
    addressed_aspects = serializers.SerializerMethodField(
        help_text=_("The complaint aspects the best candidate addresses.")
    )

    class Meta(DraftOutputSerializer.Meta):
        fields = [
            *DraftOutputSerializer.Meta.fields,
            "claims",
            "reply_template",
            "addressed_aspects",
        ]
        read_only_fields = fields

    def get_addressed_aspects(self, draft) -> list[str]:
        for candidate in draft.candidates or []:
            if candidate.get("text") == draft.text:
                return list(candidate.get("addressed_aspects", []))
        return []
