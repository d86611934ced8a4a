"""Staff register a client for a customer, find one by its key, see its usage, and rotate, revoke,
reinstate or review it: every change through the services the developer pages use, audited.

A secret staff create (add, rotate) is shown once on a GET page after the redirect: it waits for that
page in the staff member's session, sealed, and the page takes it out. It is never in a URL or a log.
"""
from urllib.parse import urlencode

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from access.client_address import client_address
from accounts.policy import account_state
from audit.admin_actions import apply_to_selected
from consumers.forms import ConsumerAdminAddForm, ReviewNoteForm, SecretRotateForm
from consumers.models import Consumer, ReviewStatus
from consumers.secrets_once import secrets_keep, secrets_take
from consumers.services import (
    consumer_register,
    consumer_reinstate,
    consumer_review,
    consumer_revoke,
    consumer_secret_rotate,
    consumer_update,
)


def _who(request):
    return {"actor": request.user, "ip": client_address(request)}


def _show_secrets_once(request, shown):
    """Keep (client, secret) pairs for the next secrets page (`consumers.secrets_once`); the redirect."""
    secrets_keep(request.session, "admin", shown)
    return HttpResponseRedirect(reverse("admin:consumers_consumer_secrets"))


@admin.action(description="Revoke the selected clients", permissions=["change"])
def revoke_clients(modeladmin, request, queryset):
    apply_to_selected(modeladmin, request, queryset,
                      lambda consumer, **who: consumer_revoke(consumer=consumer, **who), "client(s) revoked")


@admin.action(description="Reinstate the selected revoked clients (their tokens stay revoked)",
              permissions=["change"])
def reinstate_clients(modeladmin, request, queryset):
    apply_to_selected(modeladmin, request, queryset,
                      lambda consumer, **who: consumer_reinstate(consumer=consumer, **who), "client(s) reinstated")


@admin.action(description="Rotate the secret of the selected clients (shown once)…", permissions=["change"])
def rotate_client_secrets(modeladmin, request, queryset):
    """Asks first, with the developer pages' choice of how long the old secret keeps working."""
    form = SecretRotateForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return _ask(modeladmin, request, queryset, form, "rotate", "Rotate the secret of the selected apps")
    shown = []

    def rotate(consumer, **who):
        shown.append((consumer, consumer_secret_rotate(consumer=consumer, overlap=form.cleaned_data["overlap"],
                                                       **who)))

    apply_to_selected(modeladmin, request, queryset.filter(revoked_at__isnull=True), rotate, "secret(s) rotated")
    if not shown:
        return None
    return _show_secrets_once(request, shown)


def _ask(modeladmin, request, queryset, form, verb, title):
    """The intermediate page of an action that needs staff's choice before it runs."""
    return TemplateResponse(request, "admin/consumers/consumer/confirm_action.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "clients": queryset,
        "form": form,
        "verb": verb,
        "action": request.POST["action"],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


def _review_action(status, verb):
    """An action that asks for the optional note on an intermediate page, then reviews each client."""

    def action(modeladmin, request, queryset):
        form = ReviewNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            apply_to_selected(modeladmin, request, queryset,
                              lambda consumer, **who: consumer_review(consumer=consumer, status=status,
                                                                      note=note, **who),
                              f"client(s) {verb}")
            return None
        return _ask(modeladmin, request, queryset, form, verb, f"{verb.capitalize()} the selected apps")

    action.__name__ = f"{verb}_clients"
    return admin.action(description=f"{verb.capitalize()} the selected apps (review)…",
                        permissions=["change"])(action)


accept_clients = _review_action(ReviewStatus.APPROVED, "accept")
reject_clients = _review_action(ReviewStatus.REJECTED, "reject")


# django-oauth-toolkit's admin registers its own page for the application model, which is ours: its
# form would edit columns we do not have and could set a secret by hand. Ours replaces it.
if admin.site.is_registered(Consumer):
    admin.site.unregister(Consumer)


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin):
    view_on_site = False  # the app page is its owner's; staff see the client here
    list_display = ("name", "client_id", "user", "scopes", "is_active", "review_status", "created", "last_used")
    list_filter = ("review_status", "revoked_at")
    search_fields = ("=client_id", "name", "user__username", "user__email")
    list_select_related = ("user",)
    actions = [revoke_clients, reinstate_clients, rotate_client_secrets, accept_clients, reject_clients]
    autocomplete_fields = ("user",)
    add_form = ConsumerAdminAddForm
    add_fields = ("user", "name", "scopes", "callback_url", "description", "website")
    fieldsets = (
        (None, {"fields": ("name", "user", "client_id", "scopes", "callback_url", "description", "website",
                           "revoked_at", "created", "updated")}),
        ("Review", {"fields": ("review_status", "review_note")}),
        ("Usage", {"fields": ("tokens_issued", "last_used", "owner_account", "audit_trail")}),
    )
    readonly_fields = ("client_id", "user", "scopes", "revoked_at", "review_status", "review_note",
                       "created", "updated", "tokens_issued", "last_used", "owner_account", "audit_trail")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: deleting would go unaudited and take the client's tokens with it

    # --- Adding: through `consumer_register`, then the secret once -------------------------------

    def get_fieldsets(self, request, obj=None):
        return ((None, {"fields": self.add_fields}),) if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def save_form(self, request, form, change):
        instance = super().save_form(request, form, change)  # unsaved; also readies save_related
        if change:
            return instance
        # Registered by the service (audit trail, review status), not saved from the form. Staff
        # registering a client for a customer are its review.
        data = form.cleaned_data
        return consumer_register(
            user=data["user"], name=data["name"], scopes=data["scopes"], callback_url=data["callback_url"],
            description=data["description"], website=data["website"], review_status=ReviewStatus.APPROVED,
            **_who(request),
        )

    def save_model(self, request, obj, form, change):
        if change:
            consumer_update(consumer=obj, name=obj.name, description=obj.description, website=obj.website,
                            callback_url=obj.callback_url, **_who(request))

    def response_add(self, request, obj, post_url_continue=None):
        return _show_secrets_once(request, [(obj, obj.client_secret)])

    # --- The secret-once page ----------------------------------------------------------------------

    def get_urls(self):
        secrets_view = self.admin_site.admin_view(self.secrets_view)
        return [path("secrets/", secrets_view, name="consumers_consumer_secrets"), *super().get_urls()]

    def secrets_view(self, request):
        """GET only, after the redirect: shows the waiting secrets and forgets them, so a reload
        shows none."""
        secrets, _ = secrets_take(request.session, "admin")
        by_pk = Consumer.objects.select_related("user").in_bulk(list(secrets))
        shown = [(by_pk[pk], secret) for pk, secret in secrets.items() if pk in by_pk]
        response = TemplateResponse(request, "admin/consumers/consumer/secrets.html", {
            **self.admin_site.each_context(request),
            "title": "Client secrets, shown once",
            "opts": self.model._meta,
            "shown": shown,
        })
        add_never_cache_headers(response)
        return response

    # --- Usage at a glance ---------------------------------------------------------------------------

    @admin.display(boolean=True, description="Active")
    def is_active(self, consumer):
        return consumer.is_active and not consumer.is_rejected

    @admin.display(description="OAuth access tokens")
    def tokens_issued(self, consumer):
        counts = consumer.access_tokens.aggregate(
            active=Count("pk", filter=Q(revoked_at__isnull=True)),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        )
        link = reverse("admin:consumers_accesstoken_changelist") + "?" + urlencode({"consumer__id__exact": consumer.pk})
        return format_html('<a href="{}">{} active, {} revoked</a>', link, counts["active"], counts["revoked"])

    @admin.display(description="Owner's account")
    def owner_account(self, consumer):
        owner = consumer.user
        state = account_state(owner) if owner.is_active else "deactivated (staff turned off is_active)"
        link = reverse("admin:auth_user_change", args=[owner.pk])
        return format_html('<a href="{}">{}</a>: {}', link, owner.get_username(), state)

    @admin.display(description="Audit trail")
    def audit_trail(self, consumer):
        link = reverse("admin:audit_auditevent_changelist") + "?" + urlencode({"subject": consumer.client_id})
        return format_html('<a href="{}">Events of this client</a>', link)


from consumers.oauth1 import admin as oauth1_admin  # noqa: E402,F401  (registers the token admin)
from consumers.oauth2 import admin as oauth2_admin  # noqa: E402,F401  (replaces the toolkit's token admin)
