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
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from access.client_address import client_address
from accounts.policy import account_state
from audit.admin_actions import ReasonForm, apply_to_selected, ask_first, confirmed_form
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

DATE_FORMAT = "%Y-%m-%d %H:%M UTC"  # the site's one date format (apiproject.template_helpers)


def _who(request):
    return {"actor": request.user, "ip": client_address(request)}


def _show_secrets_once(request, shown, rotated=False):
    """Keep (client, secret) pairs for the next secrets page (`consumers.secrets_once`), and whether
    they replace older secrets; the redirect."""
    secrets_keep(request.session, "admin", shown, rotated=rotated)
    return HttpResponseRedirect(reverse("admin:consumers_consumer_secrets"))


def _client_row(consumer):
    """One line of an intermediate page: the app, its key, its owner, where it stands."""
    standing = "revoked" if not consumer.is_active else consumer.get_review_status_display().lower()
    return f"{consumer.name} ({consumer.client_key}), by {consumer.user.get_username()}: {standing}"


@admin.action(description="Revoke the selected clients…", permissions=["change"])
def revoke_clients(modeladmin, request, queryset):
    """Asks first, listing the apps, and for a reason the audit trail keeps: their keys stop working for
    everyone, and their tokens with them."""
    form = confirmed_form(request, ReasonForm, required=False,
                          optional_help="Say why, for whoever reads the audit trail or reinstates the app.")
    if not form.is_valid():
        return ask_first(
            modeladmin, request, queryset, form, title="Revoke the selected apps",
            intro="Each app below stops working on its very next request, for its developer and for every "
                  "user who authorized it (403 \"Invalid client key\"). Reinstating it later brings the key "
                  "back, but not the tokens issued before.",
            rows=[_client_row(consumer) for consumer in queryset.select_related("user")],
            button="Revoke", danger=True)
    note = form.cleaned_data["reason"]
    apply_to_selected(modeladmin, request, queryset,
                      lambda consumer, **who: consumer_revoke(consumer=consumer, note=note, **who),
                      "client(s) revoked")


@admin.action(description="Reinstate the selected revoked clients (their tokens stay revoked)",
              permissions=["change"])
def reinstate_clients(modeladmin, request, queryset):
    apply_to_selected(modeladmin, request, queryset,
                      lambda consumer, **who: consumer_reinstate(consumer=consumer, **who), "client(s) reinstated")


@admin.action(description="Rotate the secret of the selected clients (shown once)…", permissions=["change"])
def rotate_client_secrets(modeladmin, request, queryset):
    """Asks first, with the developer pages' choice of how long the old secret keeps working."""
    form = confirmed_form(request, SecretRotateForm)
    if not form.is_valid():
        return ask_first(
            modeladmin, request, queryset, form, title="Rotate the secret of the selected apps",
            intro="Each app gets a new secret, shown to you once on the next page; choose how long the old "
                  "one keeps working.",
            rows=[_client_row(consumer) for consumer in queryset.select_related("user")], button="Rotate")
    shown = []
    overlap = form.cleaned_data["overlap"]

    def rotate(consumer, **who):
        shown.append((consumer, consumer_secret_rotate(consumer=consumer, overlap=overlap, **who)))

    apply_to_selected(modeladmin, request, queryset.filter(revoked_at__isnull=True), rotate, "secret(s) rotated")
    if not shown:
        return None
    return _show_secrets_once(request, shown, rotated=True)


REVIEW_INTROS = {
    "accept": "Accepted apps may be authorized by every user. The note, if any, is shown to each app's developer.",
    "reject": "Rejected apps stop working for everyone, as if revoked. The note, if any, is shown to each app's "
              "developer.",
}


def _review_action(status, verb, done):
    """An action that asks for the optional note on an intermediate page, then reviews each client."""

    def action(modeladmin, request, queryset):
        form = confirmed_form(request, ReviewNoteForm)
        if form.is_valid():
            note = form.cleaned_data["note"]
            apply_to_selected(modeladmin, request, queryset,
                              lambda consumer, **who: consumer_review(consumer=consumer, status=status,
                                                                      note=note, **who),
                              f"client(s) {done}")
            return None
        return ask_first(modeladmin, request, queryset, form, title=f"{verb.capitalize()} the selected apps",
                         intro=REVIEW_INTROS[verb], button=verb.capitalize(), danger=verb == "reject",
                         rows=[_client_row(consumer) for consumer in queryset.select_related("user")])

    action.__name__ = f"{verb}_clients"
    return admin.action(description=f"{verb.capitalize()} the selected apps (review)…",
                        permissions=["change"])(action)


accept_clients = _review_action(ReviewStatus.APPROVED, "accept", "accepted")
reject_clients = _review_action(ReviewStatus.REJECTED, "reject", "rejected")


# django-oauth-toolkit's admin registers its own page for the application model, which is ours: its
# form would edit columns we do not have and could set a secret by hand. Ours replaces it.
if admin.site.is_registered(Consumer):
    admin.site.unregister(Consumer)


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin):
    view_on_site = False  # the app page is its owner's; staff see the client here
    # Narrow enough for 1280 px beside the admin's sidebar: the key under the name, the scopes and the
    # creation date on the client's own page.
    list_display = ("app", "user", "review_status", "is_active", "last_used")
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
        secrets, facts = secrets_take(request.session, "admin")
        by_pk = Consumer.objects.select_related("user").in_bulk(list(secrets))
        now = timezone.now()
        shown = [(by_pk[pk], secret, _old_secret(by_pk[pk], now) if facts.get("rotated") else "")
                 for pk, secret in secrets.items() if pk in by_pk]
        response = TemplateResponse(request, "admin/consumers/consumer/secrets.html", {
            **self.admin_site.each_context(request),
            "title": "Client secrets, shown once",
            "opts": self.model._meta,
            "shown": shown,
        })
        add_never_cache_headers(response)
        return response

    # --- Usage at a glance ---------------------------------------------------------------------------

    @admin.display(description="App", ordering="name")
    def app(self, consumer):
        return format_html('{}<br><code class="client-key">{}</code>', consumer.name, consumer.client_key)

    @admin.display(boolean=True, description="Active")
    def is_active(self, consumer):
        return consumer.is_active and not consumer.is_rejected

    @admin.display(description="Tokens issued")
    def tokens_issued(self, consumer):
        """OAuth 1.0a access tokens (live until revoked) and OAuth 2.0 access and refresh tokens, each
        with a link to its list in the admin."""
        now = timezone.now()
        oauth1 = consumer.access_tokens.aggregate(
            active=Count("pk", filter=Q(revoked_at__isnull=True)),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        )
        access = get_access_token_model().objects.filter(application=consumer).aggregate(
            live=Count("pk", filter=Q(expires__gt=now)), expired=Count("pk", filter=Q(expires__lte=now)))
        refresh = get_refresh_token_model().objects.filter(application=consumer).aggregate(
            active=Count("pk", filter=Q(revoked__isnull=True)), revoked=Count("pk", filter=Q(revoked__isnull=False)))
        return format_html(
            'OAuth 1.0a: <a href="{}">{} active, {} revoked</a><br>'
            'OAuth 2.0: <a href="{}">{} live, {} expired access token{}</a>; '
            '<a href="{}">{} active, {} revoked refresh token{}</a>',
            _filtered("admin:consumers_accesstoken_changelist", consumer__id__exact=consumer.pk),
            oauth1["active"], oauth1["revoked"],
            _filtered(_changelist(get_access_token_model()), application__id__exact=consumer.pk),
            access["live"], access["expired"], pluralize(access["live"] + access["expired"]),
            _filtered(_changelist(get_refresh_token_model()), application__id__exact=consumer.pk),
            refresh["active"], refresh["revoked"], pluralize(refresh["active"] + refresh["revoked"]),
        )

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


def _old_secret(consumer, now):
    """What became of a rotated client's previous secret, as the rotation left it."""
    until = consumer.previous_secret_expires_at
    if consumer.previous_client_secret and until and until > now:
        hours = round((until - now).total_seconds() / 3600)
        return (f"The previous secret keeps working until {until.strftime(DATE_FORMAT)} "
                f"(about {hours} hour{pluralize(hours)} from now).")
    return "The previous secret stopped working now."


def _changelist(model):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"


def _filtered(url_name, **lookups):
    return f"{reverse(url_name)}?{urlencode(lookups)}"


from consumers.oauth1 import admin as oauth1_admin  # noqa: E402,F401  (registers the token admin)
from consumers.oauth2 import admin as oauth2_admin  # noqa: E402,F401  (replaces the toolkit's token admin)
