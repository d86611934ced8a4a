"""Writes to accounts: API state (admin actions and the `suspend`/`restore` commands), signup, billing,
clearing a cool-off after failed sign-ins, API passwords and whether the sign-in password works in Basic."""
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from access.last_use import record_last_use
from access.store.counters import counters_forget
from accounts.api_passwords import MOST_PER_ACCOUNT, api_password_generate, api_password_lookup
from accounts.failed_logins import failed_login_names_of, failed_logins_of
from accounts.models import AccountState, AccountStateChange, ApiAccount, ApiPassword, BalanceEntry, PaymentNotice
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


class ApiPasswordNotCreated(ValueError):
    """The account has the most API passwords it may have, or one by that name."""


@transaction.atomic
def api_password_create(*, user, name, ip=None):
    """(the new API password's row, the password itself): shown once, kept only hashed; audited as the
    account's own act from `ip`. Raises `ApiPasswordNotCreated`, creating nothing, when the account has
    `MOST_PER_ACCOUNT` already or one named `name`."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one create at a time per account
    held = ApiPassword.objects.filter(user_id=user.pk)
    if held.count() >= MOST_PER_ACCOUNT:
        raise ApiPasswordNotCreated(f"You have {MOST_PER_ACCOUNT} API passwords, the most an account may have: "
                                    "revoke one you no longer use first.")
    if held.filter(name=name).exists():
        raise ApiPasswordNotCreated(f"You already have an API password named “{name}”.")
    password = api_password_generate()
    api_password = ApiPassword.objects.create(user=user, name=name, lookup=api_password_lookup(password),
                                              password_hash=make_password(password))
    audit_record(action=AuditEvent.Action.API_PASSWORD_CREATED, actor=user, ip=ip, subject=user.get_username(),
                 detail={"api_password": api_password.pk, "name": name})
    return api_password, password


@transaction.atomic
def api_password_revoke(*, api_password, actor=None, ip=None):
    """Delete it: the next Basic request with it is refused on every worker, even one it was remembered
    for (`accounts.verified_passwords`). Audited."""
    audit_record(action=AuditEvent.Action.API_PASSWORD_REVOKED, actor=actor, ip=ip,
                 subject=api_password.user.get_username(),
                 detail={"api_password": api_password.pk, "name": api_password.name})
    api_password.delete()


def api_password_mark_used(*, api_password):
    """Its last use, written at most about once a minute, as a client's is."""
    record_last_use(api_password, key=api_password.lookup)


@sensitive_variables("password")
@transaction.atomic
def account_basic_sign_in_password_set(*, user, allowed, password, ip=None):
    """Let the account's sign-in password work in HTTP Basic (`allowed`, the default) or not, so that only
    its API passwords do there; audited as the account's own act from `ip`. A no-op records nothing.

    `password` is the sign-in password (the caller asked for it, counting a wrong one). Turning it off
    hashes it again (a new salt, the same password): the digest of the hash that remembered Basic checks
    carry changes, so one remembered before ends on the very next request, as after a password change
    (and, as then, the account's other sessions end). Raises ValueError, changing nothing, when
    `password` is not the sign-in password.
    """
    if not allowed and not check_password(password, user.password):
        raise ValueError("That is not the account's sign-in password.")
    ApiAccount.objects.get_or_create(user=user)
    account = ApiAccount.objects.select_for_update().get(user=user)
    if account.basic_sign_in_password == allowed:
        return account
    account.basic_sign_in_password = allowed
    account.save(update_fields=["basic_sign_in_password", "updated"])
    if not allowed:
        user.set_password(password)
        user.save(update_fields=["password"])
    audit_record(action=AuditEvent.Action.BASIC_SIGN_IN_PASSWORD_SET, actor=user, ip=ip,
                 subject=user.get_username(), detail={"sign_in_password_in_basic": allowed})
    return account
