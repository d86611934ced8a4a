"""Writes to accounts: API state (admin actions and the `suspend`/`restore` commands), signup, billing,
clearing a cool-off after failed sign-ins."""
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from access.store.counters import counters_forget
from accounts.failed_logins import failed_login_names_of, failed_logins_of
from accounts.models import AccountState, AccountStateChange, ApiAccount, BalanceEntry, PaymentNotice
from accounts.payment_notices import AlreadyRecorded, UnknownAccount, WrongCurrency
from accounts.policy import account_state
from accounts.selectors import account_balance_due
from audit.models import AuditEvent
from audit.services import audit_record

SUSPEND_REASONS = {"billing": AccountState.LOCKED, "terms": AccountState.DISABLED}


@transaction.atomic
def account_set_state(*, user, state, changed_by=None, note="", ip=None):
    """Move `user` to `state` and record who did it (from `ip`); a no-op change records nothing."""
    ApiAccount.objects.get_or_create(user=user)
    account = ApiAccount.objects.select_for_update().get(user=user)
    if account.state == state:
        return account
    AccountStateChange.objects.create(
        user=user, from_state=account.state, to_state=state, changed_by=changed_by, note=note
    )
    audit_record(action=AuditEvent.Action.ACCOUNT_STATE_CHANGED, actor=changed_by, ip=ip,
                 subject=user.get_username(), detail={"from": account.state, "to": state, "note": note})
    account.state = state
    account.save(update_fields=["state", "updated"])
    return account


def account_suspend(*, user, reason, changed_by=None, note="", ip=None):
    """Lock (`reason="billing"`) or disable (`reason="terms"`) API access."""
    return account_set_state(user=user, state=SUSPEND_REASONS[reason], changed_by=changed_by, note=note,
                             ip=ip)


class NothingOwed(ValueError):
    """A billing lock was asked for an account that owes nothing, without a note saying why."""


def account_lock_for_unpaid_balance(*, user, changed_by=None, note="", ip=None):
    """Staff's billing lock (admin, `suspend --billing`): only when something is owed, or with a
    note saying why; a user who owes nothing would otherwise be locked with no way to pay out."""
    due = account_balance_due(user)
    if due <= 0 and not note.strip():
        raise NothingOwed(f"{user.get_username()} owes nothing: give a note saying why to lock anyway.")
    return account_suspend(user=user, reason="billing", changed_by=changed_by, ip=ip,
                           note=note.strip() or f"Locked for an unpaid balance of {due}.")


def account_restore(*, user, changed_by=None, note="", ip=None):
    return account_set_state(user=user, state=AccountState.ACTIVE, changed_by=changed_by, note=note, ip=ip)


def account_signup(*, username, email, password):
    """A new developer account; the form has already run Django's password validators."""
    return get_user_model().objects.create_user(username=username, email=email, password=password)


@transaction.atomic
def account_charge(*, user, amount, description="", recorded_by=None):
    """Add to what `user` owes. Locking is a separate decision staff take in the admin."""
    return BalanceEntry.objects.create(
        user=user, kind=BalanceEntry.Kind.CHARGE, amount=_positive(amount),
        description=description, recorded_by=recorded_by,
    )


@transaction.atomic
def account_record_payment(*, user, amount, recorded_by=None, description="", ip=None):
    """Record money received; a billing lock lifts once nothing is owed (audited as `recorded_by`
    from `ip`).

    Only a billing lock lifts: an account disabled for a terms violation stays disabled.
    """
    entry = BalanceEntry.objects.create(
        user=user, kind=BalanceEntry.Kind.PAYMENT, amount=_positive(amount),
        description=description, recorded_by=recorded_by,
    )
    if account_balance_due(user) <= 0 and account_state(user) == AccountState.LOCKED:
        account_restore(user=user, changed_by=recorded_by, ip=ip,
                        note=f"Balance paid ({entry.amount} received); billing lock lifted.")
    return entry


def account_payment_notice_record(*, notice, ip=None):
    """Record the payment a signed provider notice (`accounts.payment_notices.NoticeBody`) reports, once
    per notice id, audited as coming from `ip`; the billing lock lifts if nothing is owed any more.

    Raises a NoticeRefused (and records nothing) for an unknown account, another currency or a notice
    already recorded; a refusal of the shared cache undoes it all too.
    """
    user = get_user_model().objects.filter(username=notice.account).first()
    if user is None:
        raise UnknownAccount(f"No account is named {notice.account!r}.")
    if notice.currency != settings.BILLING_CURRENCY:
        raise WrongCurrency(f"Amounts here are in {settings.BILLING_CURRENCY}, not {notice.currency}.")
    already = AlreadyRecorded(f"Notification {notice.notice_id!r} was recorded before; nothing changed.")
    if PaymentNotice.objects.filter(notice_id=notice.notice_id).exists():
        raise already
    try:
        with transaction.atomic():
            entry = account_record_payment(user=user, amount=notice.amount, ip=ip,
                                           description=f"Payment notification {notice.notice_id}")
            # The unique id, inserted with the payment: of two copies arriving together, one is recorded.
            PaymentNotice.objects.create(notice_id=notice.notice_id, entry=entry)
            audit_record(action=AuditEvent.Action.PAYMENT_RECEIVED, ip=ip, subject=user.get_username(),
                         detail={"notification": notice.notice_id, "amount": str(entry.amount),
                                 "currency": notice.currency,
                                 "balance_due": str(account_balance_due(user))})
    except IntegrityError:
        raise already from None
    return entry


def _positive(amount):
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError("An amount must be more than zero.")
    return amount


@transaction.atomic
def account_clear_failed_logins(*, user, changed_by=None, ip=None):
    """Forget `user`'s failed sign-ins in this window, from every address (staff, when the owner is
    kept waiting), and record who did it. An address's own limit stays: it is about everyone there.

    Raises `SharedStateUnavailable` (and records nothing) when the shared cache cannot be told.
    """
    username = user.get_username()
    before = failed_logins_of(username)
    audit_record(action=AuditEvent.Action.FAILED_LOGINS_CLEARED, actor=changed_by, ip=ip, subject=username,
                 detail={"failures": before.failures, "addresses": len(before.addresses),
                         "was_cooling_off": before.cooling_off})
    counters_forget(failed_login_names_of(username))
