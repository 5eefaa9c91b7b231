"""API serializers for reviews: input (validation) and output kept apart."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products.serializers import MerchantProductField

from .analysis.pipeline import ANALYSER_VERSION
from .models import AspectMention, ComplaintTopic, Review, ReviewAnalysis, SentimentModel

DEFAULT_SOURCE = Review._meta.get_field("source").default


class ReviewInputSerializer(serializers.ModelSerializer):
    product = MerchantProductField(help_text=_("Id of one of the merchant's products."))

    class Meta:
        model = Review
        fields = [
            "product",
            "source",
            "external_id",
            "rating",
            "title",
            "body",
            "language",
            "author_name",
            "created_at",
        ]
        extra_kwargs = {
            "external_id": {
                "help_text": _("The review's id at its source; unique per merchant and source.")
            },
            "language": {"help_text": _("Detected from the text when left blank.")},
            "created_at": {"help_text": _("When the customer wrote it; defaults to now.")},
        }

    def validate(self, attrs):
        def current(field, default):
            return attrs.get(field, getattr(self.instance, field, default))

        external_id = current("external_id", "")
        if external_id:
            taken = Review.objects.filter(
                merchant=self.context["request"].merchant,
                source=current("source", DEFAULT_SOURCE),
                external_id=external_id,
            )
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {"external_id": _("A review with this external id exists for this source.")}
                )
        return attrs


# --- Analysis ------------------------------------------------------------------------------------


class AspectMentionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = AspectMention
        fields = ["aspect", "polarity", "span_start", "span_end", "span_text"]
        read_only_fields = fields
        extra_kwargs = {
            "span_start": {
                "help_text": _(
                    "Character offset into the title, a newline and the text (the text alone "
                    "when there is no title)."
                )
            },
        }


class TopicRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintTopic
        fields = ["id", "label", "aspect"]
        read_only_fields = fields


class ReviewAnalysisOutputSerializer(serializers.ModelSerializer):
    aspects = AspectMentionOutputSerializer(many=True, read_only=True)
    topic = TopicRefOutputSerializer(read_only=True, allow_null=True)
    current = serializers.SerializerMethodField(
        help_text=_(
            "False when the review changed or a newer analyser exists: it waits to be "
            "analysed again."
        )
    )

    class Meta:
        model = ReviewAnalysis
        fields = [
            "language",
            "sentiment",
            "sentiment_score",
            "sentiment_model",
            "analyser_version",
            "current",
            "analysed_at",
            "topic",
            "aspects",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_current(self, analysis) -> bool:
        return analysis.analyser_version == ANALYSER_VERSION


class ReviewOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    analysis = serializers.SerializerMethodField(
        help_text=_("What the analyser read; null until the review is analysed.")
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "product",
            "sku",
            "source",
            "external_id",
            "rating",
            "title",
            "body",
            "language",
            "author_name",
            "created_at",
            "imported_at",
            "analysis",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewAnalysisOutputSerializer(allow_null=True))
    def get_analysis(self, review):
        try:
            analysis = review.analysis
        except ReviewAnalysis.DoesNotExist:
            return None
        return ReviewAnalysisOutputSerializer(analysis, context=self.context).data


class ReviewBriefOutputSerializer(serializers.ModelSerializer):
    """A review quoted as evidence (topic examples, insights)."""

    product = serializers.IntegerField(source="product_id", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "product", "sku", "rating", "title", "body", "language", "created_at"]
        read_only_fields = fields


# --- Topics -------------------------------------------------------------------------------------


class TopicTrendOutputSerializer(serializers.Serializer):
    weeks = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Week starts, oldest first.")
    )
    counts = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("Reviews per week.")
    )
    change = serializers.FloatField(required=False, allow_null=True)


class ComplaintTopicOutputSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True, allow_null=True)
    sku = serializers.CharField(source="product.sku", read_only=True, allow_null=True)
    scope = serializers.SerializerMethodField(help_text=_("product or category"))
    trend = TopicTrendOutputSerializer(read_only=True)

    class Meta:
        model = ComplaintTopic
        fields = [
            "id",
            "scope",
            "product",
            "sku",
            "category",
            "language",
            "label",
            "terms",
            "aspect",
            "size",
            "trend",
            "example_review_ids",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["product", "category"]))
    def get_scope(self, topic) -> str:
        return "product" if topic.product_id else "category"


class ComplaintTopicDetailOutputSerializer(ComplaintTopicOutputSerializer):
    examples = serializers.SerializerMethodField(
        help_text=_("Example reviews, the most typical first, then the topic's newest.")
    )

    class Meta(ComplaintTopicOutputSerializer.Meta):
        fields = [*ComplaintTopicOutputSerializer.Meta.fields, "examples"]
        read_only_fields = fields

    @extend_schema_field(ReviewOutputSerializer(many=True))
    def get_examples(self, topic):
        examples = self.context.get("examples", [])
        return ReviewOutputSerializer(examples, many=True, context=self.context).data


# --- Insights -----------------------------------------------------------------------------------


class WeekSentimentOutputSerializer(serializers.Serializer):
    week = serializers.DateField(help_text=_("Monday of the week (the merchant's time zone)."))
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()
    pending = serializers.IntegerField(help_text=_("Written that week, not analysed yet."))
    total = serializers.IntegerField()
    negative_share = serializers.FloatField(allow_null=True)
    average_rating = serializers.FloatField(allow_null=True)


class AspectBreakdownOutputSerializer(serializers.Serializer):
    aspect = serializers.CharField()
    label = serializers.CharField()
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()
    total = serializers.IntegerField()
    negative_share = serializers.FloatField(allow_null=True)


class TopicInsightOutputSerializer(serializers.Serializer):
    topic = ComplaintTopicOutputSerializer()
    examples = ReviewBriefOutputSerializer(many=True)


class SentimentCountsOutputSerializer(serializers.Serializer):
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()


class RatingDistributionOutputSerializer(serializers.Serializer):
    stars_1 = serializers.IntegerField(source="1")
    stars_2 = serializers.IntegerField(source="2")
    stars_3 = serializers.IntegerField(source="3")
    stars_4 = serializers.IntegerField(source="4")
    stars_5 = serializers.IntegerField(source="5")
    unrated = serializers.IntegerField()


class ProductInsightsOutputSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    sku = serializers.CharField(source="product.sku")
    title = serializers.CharField(source="product.title")
    today = serializers.DateField()
    since = serializers.DateField(allow_null=True)
    reviews = serializers.IntegerField()
    analysed = serializers.IntegerField()
    pending = serializers.IntegerField()
    sentiment = SentimentCountsOutputSerializer()
    negative_share = serializers.FloatField(allow_null=True)
    average_rating = serializers.FloatField(allow_null=True)
    rating_distribution = serializers.SerializerMethodField()
    weeks = WeekSentimentOutputSerializer(many=True)
    aspects = AspectBreakdownOutputSerializer(many=True)
    topics = TopicInsightOutputSerializer(many=True)

    @extend_schema_field(RatingDistributionOutputSerializer)
    def get_rating_distribution(self, insights) -> dict:
        return {
            **{f"stars_{stars}": count for stars, count in insights.rating_distribution.items()},
            "unrated": insights.unrated,
        }


class ProductNegativeShareOutputSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    sku = serializers.CharField(source="product.sku")
    title = serializers.CharField(source="product.title")
    analysed = serializers.IntegerField()
    negative = serializers.IntegerField()
    negative_share = serializers.FloatField(allow_null=True)
    previous_analysed = serializers.IntegerField()
    previous_negative = serializers.IntegerField()
    previous_share = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(
        allow_null=True, help_text=_("Negative share now minus the previous period's.")
    )
    trend = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        help_text=_("Weekly negative share, oldest week first; null for a week without reviews."),
    )


class MerchantInsightsOutputSerializer(serializers.Serializer):
    today = serializers.DateField()
    days = serializers.IntegerField()
    period = serializers.ListField(child=serializers.DateField())
    previous_period = serializers.ListField(child=serializers.DateField())
    min_reviews = serializers.IntegerField()
    reviews = serializers.IntegerField()
    analysed = serializers.IntegerField()
    sentiment = SentimentCountsOutputSerializer()
    negative_share = serializers.FloatField(allow_null=True)
    previous_sentiment = SentimentCountsOutputSerializer()
    previous_negative_share = serializers.FloatField(allow_null=True)
    weeks = WeekSentimentOutputSerializer(many=True)
    worst_products = ProductNegativeShareOutputSerializer(many=True)
    aspects = AspectBreakdownOutputSerializer(many=True)
    topics = TopicInsightOutputSerializer(many=True)


class InsightsQuerySerializer(serializers.Serializer):
    weeks = serializers.IntegerField(
        required=False, min_value=1, max_value=104, default=12, help_text=_("Trend weeks.")
    )
    since = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Count reviews from this day.")
    )


class MerchantInsightsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False, min_value=7, max_value=730, default=90, help_text=_("Period length.")
    )
    weeks = serializers.IntegerField(required=False, min_value=1, max_value=104, default=12)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=10)
    min_reviews = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=10_000,
        default=3,
        help_text=_("Products with fewer analysed reviews in the period are not ranked."),
    )


# --- Models and jobs ----------------------------------------------------------------------------


class SentimentModelOutputSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SentimentModel
        fields = [
            "id",
            "language",
            "status",
            "status_label",
            "trainer_version",
            "train_reviews",
            "heldout_reviews",
            "heldout_accuracy",
            "heldout_macro_f1",
            "default_accuracy",
            "default_macro_f1",
            "error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnalyseInputSerializer(serializers.Serializer):
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Analyse every review again, not only those new or outdated."),
    )
    language = serializers.ChoiceField(
        choices=[("", "all"), ("en", "en"), ("zh", "zh"), ("other", "other")],
        required=False,
        default="",
        help_text=_("Only reviews in this language."),
    )


class AnalyseStartedOutputSerializer(serializers.Serializer):
    job_id = serializers.IntegerField()
    status = serializers.CharField()
    kind = serializers.CharField()
    reviews = serializers.IntegerField(
        allow_null=True, help_text=_("Reviews waiting for analysis when the job was started.")
    )
    waiting_for_queue = serializers.BooleanField(
        help_text=_(
            "True when the task queue was unreachable: the job is kept and starts as soon as "
            "the queue is back."
        )
    )
