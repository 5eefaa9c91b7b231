from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AspectMention, ComplaintTopic, Review, ReviewAnalysis, SentimentModel
from .services import language_detect
from .services.analysis import reviews_analysis_request
from .services.models import sentiment_models_retrain_schedule
from .services.reviews import review_saved
from .services.topics import topics_rebuild_request


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "product", "merchant", "rating", "language", "source", "created_at"]
    list_filter = ["merchant", "rating", "language", "source", "analysis__sentiment"]
    search_fields = ["title", "body", "author_name", "external_id", "product__sku"]
    date_hierarchy = "created_at"
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product"]
    readonly_fields = ["merchant", "imported_at"]
    actions = ["reanalyse"]

    def save_model(self, request, obj, form, change):
        obj.merchant_id = obj.product.merchant_id
        if not obj.language:
            obj.language = language_detect(f"{obj.title} {obj.body}")
        super().save_model(request, obj, form, change)
        # A new review is analysed; an edited one again when what is analysed changed.
        analysed_fields = {"title", "body", "rating", "language", "product"}
        if not change or analysed_fields & set(form.changed_data):
            review_saved(review=obj, changed=change)

    @admin.action(description=_("Analyse the selected reviews again"))
    def reanalyse(self, request, queryset):
        by_merchant: dict[int, list[int]] = {}
        for review_id, merchant_id in queryset.values_list("pk", "merchant_id"):
            by_merchant.setdefault(merchant_id, []).append(review_id)
        with transaction.atomic():
            for merchant_id, review_ids in by_merchant.items():
                reviews_analysis_request(merchant_id=merchant_id, review_ids=review_ids, stale=True)
        count = sum(len(ids) for ids in by_merchant.values())
        self.message_user(
            request,
            ngettext(
                "%(count)d review was sent for analysis.",
                "%(count)d reviews were sent for analysis.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class AspectMentionInline(admin.TabularInline):
    model = AspectMention
    fields = ["aspect", "polarity", "span_start", "span_end", "span_text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the analysis pipeline: visible, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewAnalysis)
class ReviewAnalysisAdmin(_ReadOnlyAdmin):
    list_display = [
        "review",
        "merchant",
        "product",
        "language",
        "sentiment",
        "sentiment_score",
        "sentiment_model",
        "topic",
        "analyser_version",
        "analysed_at",
    ]
    list_filter = ["merchant", "sentiment", "language", "sentiment_model", "analyser_version"]
    search_fields = ["review__title", "review__body", "product__sku"]
    list_select_related = ["review", "merchant", "product", "topic"]
    readonly_fields = [
        "review",
        "merchant",
        "product",
        "analyser_version",
        "language",
        "sentiment",
        "sentiment_score",
        "sentiment_model",
        "topic",
        "analysed_at",
    ]
    inlines = [AspectMentionInline]


@admin.register(ComplaintTopic)
class ComplaintTopicAdmin(_ReadOnlyAdmin):
    list_display = ["label", "merchant", "product", "category", "language", "aspect", "size"]
    list_filter = ["merchant", "language", "aspect"]
    search_fields = ["label", "category", "product__sku"]
    list_select_related = ["merchant", "product"]
    readonly_fields = [
        "merchant",
        "product",
        "category",
        "language",
        "label",
        "terms",
        "aspect",
        "size",
        "trend",
        "example_review_ids",
        "created_at",
        "updated_at",
    ]
    actions = ["rebuild"]

    @admin.action(description=_("Regroup the topics of the selected topics' merchants"))
    def rebuild(self, request, queryset):
        merchant_ids = set(queryset.values_list("merchant_id", flat=True))
        with transaction.atomic():
            for merchant_id in merchant_ids:
                topics_rebuild_request(merchant_id=merchant_id)
        self.message_user(
            request,
            _("Topics of %(count)d merchants are being regrouped.") % {"count": len(merchant_ids)},
            messages.SUCCESS,
        )


@admin.register(SentimentModel)
class SentimentModelAdmin(_ReadOnlyAdmin):
    list_display = [
        "__str__",
        "merchant",
        "language",
        "status",
        "heldout_accuracy",
        "default_accuracy",
        "heldout_macro_f1",
        "default_macro_f1",
        "train_reviews",
        "created_at",
    ]
    list_filter = ["merchant", "language", "status"]
    list_select_related = ["merchant"]
    readonly_fields = [
        "merchant",
        "language",
        "status",
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
    exclude = ["artifact"]
    actions = ["retrain"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("artifact")

    @admin.action(description=_("Train a new model for the selected models' merchant and language"))
    def retrain(self, request, queryset):
        pairs = {(model.merchant, model.language) for model in queryset.select_related("merchant")}
        started = 0
        with transaction.atomic():
            for merchant, language in pairs:
                started += len(
                    sentiment_models_retrain_schedule(
                        merchant=merchant, languages=[language], force=True
                    )
                )
        self.message_user(
            request,
            ngettext(
                "%(count)d training started; the model is used only if it beats the default.",
                "%(count)d trainings started; each model is used only if it beats the default.",
                started,
            )
            % {"count": started},
            messages.SUCCESS,
        )
