"""Staff's view of users: API state at a glance, the history, the lock/disable/restore actions, and
failed sign-ins (who is cooling off until when; clearing it)."""
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.template.defaultfilters import pluralize

from access.client_address import client_address
from accounts.failed_logins import failed_logins_of
from accounts.forms import CoolingOffMessage
from accounts.models import AccountState, AccountStateChange, BalanceEntry
from accounts.policy import account_state
from accounts.selectors import account_balance_due
from accounts.services import (
    NothingOwed,
    account_charge,
    account_clear_failed_logins,
    account_lock_for_unpaid_balance,
    account_record_payment,
    account_restore,
    account_suspend,
)
from accounts.views import cooling_off_answer
from audit.admin_actions import ReasonForm, apply_to_selected, ask_first, confirmed_form

User = get_user_model()
DATE_FORMAT = "%Y-%m-%d %H:%M UTC"  # the site's one date format (apiproject.template_helpers)
ADDRESSES_SHOWN = 10


class AccountStateChangeInline(admin.TabularInline):
    model = AccountStateChange
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("created", "from_state", "to_state", "changed_by", "note")
    readonly_fields = fields
    verbose_name_plural = "API access history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _account_row(user):
    """One line of an intermediate page: who, their API access now, what they owe."""
    due = account_balance_due(user)
    owes = f"owes {due} {settings.BILLING_CURRENCY}" if due > 0 else "owes nothing"
    return f"{user.get_username()}: API access {AccountState(account_state(user)).label.lower()}, {owes}"


@admin.action(description="Lock API access for an unpaid balance…", permissions=["change"])
def lock_for_unpaid_balance(modeladmin, request, queryset):
    """Asks first, listing what each owes, with an optional reason. Only accounts that owe something
    are locked without one (`account_lock_for_unpaid_balance` decides); the others are named and left
    alone."""
    form = confirmed_form(request, ReasonForm, required=False,
                          optional_help="Needed only to lock an account that owes nothing.")
    if not form.is_valid():
        return ask_first(
            modeladmin, request, queryset, form, title="Lock API access for an unpaid balance",
            intro="Each account below gets 403 \"No API Access\" on its very next API request, with a link to "
                  "its billing page, until it pays or you restore it. An account that owes nothing is locked "
                  "only if you give a reason.",
            rows=[_account_row(user) for user in queryset], button="Lock API access", danger=True)
    reason = form.cleaned_data["reason"]

    def lock(user, actor, ip):
        account_lock_for_unpaid_balance(user=user, changed_by=actor, ip=ip, note=reason)

    left_alone = apply_to_selected(modeladmin, request, queryset, lock, "account(s) locked", skip=NothingOwed)
    skipped = sorted(user.get_username() for user in left_alone)
    if skipped:
        modeladmin.message_user(
            request, f"Not locked, nothing is owed: {', '.join(skipped)}. To lock anyway, give a reason.",
            messages.WARNING)


@admin.action(description="Disable API access for a terms violation…", permissions=["change"])
def disable_for_terms_violation(modeladmin, request, queryset):
    """Asks first, and for the reason, which the account's history and the audit trail keep."""
    form = confirmed_form(request, ReasonForm)
    if not form.is_valid():
        return ask_first(
            modeladmin, request, queryset, form, title="Disable API access for a terms violation",
            intro="Each account below gets 403 \"API Access is disabled\" on its very next API request, and the "
                  "clients it owns stop working for everyone, until you restore it.",
            rows=[_account_row(user) for user in queryset], button="Disable API access", danger=True)
    reason = form.cleaned_data["reason"]

    def disable(user, actor, ip):
        account_suspend(user=user, reason="terms", changed_by=actor, ip=ip, note=reason)

    apply_to_selected(modeladmin, request, queryset, disable, "account(s) disabled")


@admin.action(description="Restore API access", permissions=["change"])
def restore_api_access(modeladmin, request, queryset):
    def restore(user, actor, ip):
        account_restore(user=user, changed_by=actor, ip=ip, note="Restored in the admin.")

    apply_to_selected(modeladmin, request, queryset, restore, "account(s) restored")


@admin.action(description="Clear failed sign-ins (end a cool-off)", permissions=["change"])
def clear_failed_sign_ins(modeladmin, request, queryset):
    def clear(user, actor, ip):
        account_clear_failed_logins(user=user, changed_by=actor, ip=ip)

    apply_to_selected(modeladmin, request, queryset, clear, "account(s) cleared of failed sign-ins")


def describe_failed_logins(cool_off):
    """What staff read on a user's page: who is cooling off until when, and how many failures from where."""
    if not cool_off.failures:
        return "None in this window."
    until = cool_off.until.strftime(DATE_FORMAT)
    if cool_off.ceiling_reached:
        lead = f"Cooling off from every address until {until}"
    elif cool_off.cooling_off:
        lead = f"Cooling off at some addresses until {until}"
    else:
        lead = f"Not cooling off; the window ends {until}"
    shown = cool_off.addresses[:ADDRESSES_SHOWN]
    addresses = "; ".join(f"{address}: {count}{' (cooling off)' if cooling else ''}"
                          for address, count, cooling in shown)
    hidden = len(cool_off.addresses) - len(shown)
    more = f"; {hidden} more address{pluralize(hidden, 'es')}" if hidden else ""
    return (f"{lead}. {cool_off.failures} failure{pluralize(cool_off.failures)} in this window. "
            f"By address: {addresses}{more}.")

admin.site.unregister(User)


@admin.register(User)
class ApiUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_staff", "api_state")
    actions = [lock_for_unpaid_balance, disable_for_terms_violation, restore_api_access, clear_failed_sign_ins]
    inlines = [AccountStateChangeInline]
    # Plain multiple selects: Django's two-box widget marks up its search icons in a way screen readers
    # are not allowed to read (axe: aria-prohibited-attr), and staff seldom edit groups here.
    filter_horizontal = ()

    @admin.display(description="API access")
    def api_state(self, user):
        return account_state(user)

    @admin.display(description="Failed sign-ins")
    def failed_sign_ins(self, user):
        return describe_failed_logins(failed_logins_of(user.get_username()))

    def get_readonly_fields(self, request, obj=None):
        # When someone last signed in and joined are facts, not settings (and Django's split date and
        # time inputs for them have no labels a screen reader can read).
        facts = ("last_login", "date_joined", "failed_sign_ins") if obj else ()
        return (*super().get_readonly_fields(request, obj), *facts)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, ("Sign-in limits", {
            "fields": ("failed_sign_ins",),
            "description": "Failures in the current window, counted per address. The action "
                           "\"Clear failed sign-ins\" on the user list ends a cool-off.",
        }))


@admin.register(BalanceEntry)
class BalanceEntryAdmin(admin.ModelAdmin):
    """Staff record charges and payments here; a payment that clears the balance lifts a billing lock.

    The ledger is append-only: saving goes through the services, nothing is edited or deleted.
    """

    list_display = ("created", "user", "kind", "amount", "description", "recorded_by", "balance_due")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "recorded_by")
    autocomplete_fields = ("user",)  # found by username or email as staff type, not by a database id
    fields = ("user", "kind", "amount", "description")

    class Media:
        js = ("admin_autocomplete.js",)  # names the autocomplete box for screen readers

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Balance due now")
    def balance_due(self, entry):
        return account_balance_due(entry.user)

    def save_model(self, request, obj, form, change):
        entry_fields = dict(user=obj.user, amount=obj.amount, description=obj.description, recorded_by=request.user)
        with transaction.atomic():
            if obj.kind == BalanceEntry.Kind.PAYMENT:
                entry = account_record_payment(**entry_fields, ip=client_address(request))  # may lift a lock
            else:
                entry = account_charge(**entry_fields)
        obj.pk, obj.created = entry.pk, entry.created


class AdminSignInForm(CoolingOffMessage, AdminAuthenticationForm):
    """The admin's sign-in form: says how long to wait while failed sign-ins are cooling off."""


def _admin_login_answering_429(login):
    """The admin's login view, answering 429 with `Retry-After` during a cool-off, like `/login`."""
    def view(request, extra_context=None):
        return cooling_off_answer(request, login(request, extra_context))
    return view


admin.site.login_form = AdminSignInForm
admin.site.login = _admin_login_answering_429(admin.site.login)
