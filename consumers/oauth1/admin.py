"""Staff see who authorized which app, and revoke access tokens. Keys and secrets are never shown."""
from django.contrib import admin, messages
from django.db import transaction

from accounts.failed_logins import client_ip
from consumers.oauth1.models import AccessToken
from consumers.oauth1.services import access_token_revoke


@admin.action(description="Revoke the selected access tokens", permissions=["change"])
def revoke_access_tokens(modeladmin, request, queryset):
    with transaction.atomic():
        for access_token in queryset:
            access_token_revoke(access_token=access_token, actor=request.user, ip=client_ip(request))
    modeladmin.message_user(request, f"{queryset.count()} access token(s) revoked.", messages.SUCCESS)


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("consumer", "user", "scopes", "created", "last_used", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "user__email", "=consumer__client_id", "consumer__name")
    list_select_related = ("consumer", "user")
    actions = [revoke_access_tokens]
    fields = ("consumer", "user", "scopes", "created", "last_used", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # access tokens come from the three-legged flow only
