"""Staff see OAuth 2.0 access and refresh tokens, read-only, and revoke them through a service, audited
(`consumers.oauth2.services.oauth2_token_revoke`: the token's whole grant ends). Token values are never
shown (only their checksums are kept anyway).

django-oauth-toolkit registers its own pages for tokens, refresh tokens, authorization codes and ID
tokens, whose forms would let staff widen a token's scope, extend it or hand it to another user with
no trace in the audit trail: they are replaced here, and codes (a minute's life) and ID tokens (no
OpenID Connect here) get no page at all. Loaded by `consumers.admin`, after the toolkit's admin.
"""
from django.contrib import admin
from oauth2_provider.models import get_access_token_model, get_grant_model, get_id_token_model, get_refresh_token_model

from audit.admin_actions import apply_to_selected
from consumers.oauth2.services import oauth2_token_revoke

AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()

for model in (AccessToken, RefreshToken, get_grant_model(), get_id_token_model()):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.action(description="Revoke the selected tokens (each one's whole grant)", permissions=["revoke"])
def revoke_tokens(modeladmin, request, queryset):
    apply_to_selected(modeladmin, request, queryset,
                      lambda token, **who: oauth2_token_revoke(token=token, **who), "token(s) revoked")


class ReadOnlyTokenAdmin(admin.ModelAdmin):
    """Seen, never edited: a token changes only by being revoked (the action, a service)."""

    list_select_related = ("application", "user")
    search_fields = ("=application__client_id", "application__name", "user__username", "user__email")
    actions = [revoke_tokens]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False  # tokens come from the flows only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: audited, and the grant's other tokens end with it

    def has_revoke_permission(self, request):
        """Staff who may change tokens in Django's permissions may revoke them (the one change left)."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyTokenAdmin):
    list_display = ("pk", "application", "user", "scope", "created", "expires")
    list_filter = ("expires",)
    fields = ("application", "user", "scope", "created", "expires")


@admin.register(RefreshToken)
class RefreshTokenAdmin(ReadOnlyTokenAdmin):
    list_display = ("pk", "application", "user", "created", "revoked")
    list_filter = ("revoked",)
    fields = ("application", "user", "access_token", "created", "revoked")
