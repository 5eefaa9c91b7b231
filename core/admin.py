from django.contrib import admin

from .models import GenerationLog


@admin.register(GenerationLog)
class GenerationLogAdmin(admin.ModelAdmin):
    """Read-only: a log records what happened and is never edited by hand."""

    list_display = [
        "created_at",
        "merchant",
        "job",
        "purpose",
        "prompt_version",
        "backend",
        "model",
        "status",
        "prompt_tokens",
        "output_tokens",
        "latency_ms",
    ]
    list_filter = [
        "status",
        "backend",
        "model",
        "merchant",
        "purpose",
        ("job", admin.EmptyFieldListFilter),
    ]
    raw_id_fields = ["merchant", "job"]
    search_fields = ["prompt_version", "purpose"]
    list_select_related = ["merchant", "job"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
