from django.contrib import admin

from .models import ApiToken, Membership, Merchant


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "timezone", "default_language", "is_active"]
    list_filter = ["is_active", "currency", "default_language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "merchant", "role", "created_at"]
    list_filter = ["role", "merchant"]
    search_fields = ["user__username", "user__email", "merchant__name"]
    autocomplete_fields = ["user", "merchant"]
    list_select_related = ["user", "merchant"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "user",
        "merchant",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["merchant", "revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = ["prefix", "key_hash", "last_used_at", "created_at"]
    list_select_related = ["user", "merchant"]

    def has_add_permission(self, request):
        # Keys are shown once at creation; `manage.py api_token` is the way to make one.
        return False
