"""Admin for the notification center. Channel secrets are never displayed: the change form
offers a blank field that replaces the secret only when filled in."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Channel, Delivery, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "merchant", "event", "created_at", "read_at"]
    list_filter = ["merchant", "event"]
    search_fields = ["title", "recipient__username", "recipient__email"]
    list_select_related = ["recipient", "merchant"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "merchant", "event", "in_app", "email"]
    list_filter = ["merchant", "event", "in_app", "email"]
    search_fields = ["user__username"]
    list_select_related = ["user", "merchant"]
    raw_id_fields = ["user"]


class ChannelAdminForm(forms.ModelForm):
    new_secret = forms.CharField(
        label=_("New signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Never shown. Leave empty to keep the current secret."),
    )

    class Meta:
        model = Channel
        fields = [
            "merchant",
            "kind",
            "name",
            "config",
            "events",
            "enabled",
            "disabled_reason",
            "last_error",
            "created_by",
        ]

    def save(self, commit=True):
        channel = super().save(commit=False)
        if self.cleaned_data.get("new_secret"):
            channel.secret = self.cleaned_data["new_secret"]
        if commit:
            channel.save()
        return channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelAdminForm
    list_display = ["name", "merchant", "kind", "enabled", "last_delivery_at", "last_error"]
    list_filter = ["merchant", "kind", "enabled"]
    search_fields = ["name"]
    list_select_related = ["merchant"]
    raw_id_fields = ["created_by"]
    readonly_fields = [
        "has_secret",
        "disabled_at",
        "last_error_at",
        "last_delivery_at",
        "created_at",
        "updated_at",
    ]

    @admin.display(boolean=True, description=_("secret set"))
    def has_secret(self, obj):
        return obj.has_secret


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "merchant",
        "kind",
        "event",
        "status",
        "attempts",
        "response_code",
        "latency_ms",
    ]
    list_filter = ["merchant", "kind", "status", "is_test"]
    search_fields = ["title", "address", "error"]
    list_select_related = ["merchant"]
    raw_id_fields = ["channel", "recipient", "notification"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        # The log is a record of what happened: never edited by hand.
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
