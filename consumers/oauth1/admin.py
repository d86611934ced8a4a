"""Staff see who authorized which app, and revoke access tokens. Keys and secrets are never shown."""
from django.contrib import admin

from audit.admin_actions import apply_to_selected
from consumers.oauth1.models import AccessToken
from consumers.oauth1.services import access_token_revoke


@admin.action(description="Revoke the selected access tokens", permissions=["change"])
def revoke_access_tokens(modeladmin, request, queryset):
    apply_to_selected(modeladmin, request, queryset,
                      lambda token, **who: access_token_revoke(access_token=token, **who),
                      "access token(s) revoked")


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
