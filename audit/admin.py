"""Staff read the audit trail here, in words: what changed from what to what, which app or account
(by name, with its key), the facts around it. Nobody adds, changes or deletes an event."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import AccountState
from audit.models import AuditEvent
from consumers.models import Consumer

Action = AuditEvent.Action
ABOUT_ACCOUNTS = {Action.ACCOUNT_STATE_CHANGED, Action.FAILED_LOGINS_CLEARED, Action.PAYMENT_RECEIVED}
SHOWN_ELSEWHERE = {"from", "to", "currency"}  # in the Change column, or with the amount
LABELS = {
    "owner": "Owner", "name": "Name", "scopes": "Scopes", "callback_url": "Callback URL",
    "review_status": "Review", "note": "Note", "overlap_seconds": "Old secret",
    "signature_debug": "Signature debugging", "user": "User", "access_token_id": "Access token",
    "protocol": "Protocol", "exchanged_for": "Exchanged for", "grant": "Grant",
    "failures": "Failed sign-ins", "addresses": "Addresses", "was_cooling_off": "Was cooling off",
    "notification": "Notification", "amount": "Amount", "balance_due": "Still owed",
}
PROTOCOLS = {"oauth2": "OAuth 2.0", "oauth1": "OAuth 1.0a"}


def state_word(state):
    return AccountState(state).name.lower() if state in AccountState.values else str(state)


def describe_change(event):
    """From → to, for the events that move something from one state to another."""
    detail = event.detail or {}
    if event.action == Action.ACCOUNT_STATE_CHANGED and "from" in detail:
        return f"{state_word(detail['from'])} → {state_word(detail.get('to'))}"
    if event.action == Action.CLIENT_REVIEWED and "review_status" in detail:
        return f"→ {detail['review_status']}"
    if event.action in {Action.CLIENT_REVOKED, Action.CLIENT_REINSTATED}:
        return "active → revoked" if event.action == Action.CLIENT_REVOKED else "revoked → active"
    return ""


def describe_detail(event):
    """The facts of `event` as a line of words ("Owner: Aladdin · Note: Scraping"), not JSON."""
    detail = event.detail or {}
    parts = []
    for key, value in detail.items():
        if key in SHOWN_ELSEWHERE or value in ("", None, [], {}):
            continue
        parts.append(f"{LABELS.get(key, key.replace('_', ' ').capitalize())}: {_value(key, value, detail)}")
    return " · ".join(parts)


def _value(key, value, detail):
    if key == "overlap_seconds":
        hours = round(value / 3600) if isinstance(value, (int, float)) else 0
        return f"kept working for {hours} hour{pluralize(hours)}" if value else "stopped working at once"
    if key in ("amount", "balance_due") and detail.get("currency"):
        return f"{value} {detail['currency']}"
    if key == "protocol":
        return PROTOCOLS.get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created", "action", "change", "about", "details", "actor", "actor_ip")
    list_filter = ("action", "created")
    search_fields = ("subject", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "created"
    fields = ("created", "action", "change", "about", "details", "actor", "actor_ip")
    readonly_fields = fields

    def get_queryset(self, request):
        """Each event with the name of the app it is about (clients are named by key in the trail)
        and the account's id, found in one query with the page."""
        clients = Consumer.objects.filter(client_id=OuterRef("subject"))
        users = get_user_model().objects.filter(username=OuterRef("subject"))
        return super().get_queryset(request).annotate(
            client_name=Subquery(clients.values("name")[:1]), client_pk=Subquery(clients.values("pk")[:1]),
            user_pk=Subquery(users.values("pk")[:1]),
        )

    @admin.display(description="Change")
    def change(self, event):
        return describe_change(event) or "—"

    @admin.display(description="About", ordering="subject")
    def about(self, event):
        if event.action in ABOUT_ACCOUNTS:
            if event.user_pk is None:
                return event.subject
            return format_html('<a href="{}">{}</a>', reverse("admin:auth_user_change", args=[event.user_pk]),
                               event.subject)
        if event.client_pk is None:  # a key that was never a client's here
            return event.subject
        return format_html('<a href="{}">{}</a> <span class="client-key">({})</span>',
                           reverse("admin:consumers_consumer_change", args=[event.client_pk]),
                           event.client_name, event.subject)

    @admin.display(description="Details")
    def details(self, event):
        return describe_detail(event) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
