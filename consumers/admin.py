"""Staff find a client by its key, see its owner, and revoke it. The secret is never shown."""
from django.contrib import admin
from django.db import models

from audit.admin_actions import apply_to_selected
from consumers.models import Consumer
from consumers.services import consumer_revoke


@admin.action(description="Revoke the selected clients", permissions=["change"])
def revoke_clients(modeladmin, request, queryset):
    apply_to_selected(modeladmin, request, queryset,
                      lambda consumer, **who: consumer_revoke(consumer=consumer, **who), "client(s) revoked")


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin):
    list_display = ("name", "client_id", "user", "scopes", "is_active", "created", "last_used")
    list_filter = ("revoked_at",)
    search_fields = ("=client_id", "name", "user__username", "user__email")
    list_select_related = ("user",)
    actions = [revoke_clients]
    fields = (
        "name", "user", "client_id", "scopes", "callback_url", "description", "website",
        "revoked_at", "created", "updated", "last_used",
    )
    readonly_fields = ("client_id", "user", "revoked_at", "created", "updated", "last_used")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False  # clients are registered by their developer or with `createconsumer`

    @admin.display(boolean=True, description="Active")
    def is_active(self, consumer):
        return consumer.is_active


from consumers.oauth1 import admin as oauth1_admin  # noqa: E402,F401  (registers the token admin)
