"""Writes to account state. The admin actions and the `suspend`/`restore` commands both call these."""
from django.db import transaction

from accounts.models import AccountState, AccountStateChange, ApiAccount

SUSPEND_REASONS = {"billing": AccountState.LOCKED, "terms": AccountState.DISABLED}


@transaction.atomic
def account_set_state(*, user, state, changed_by=None, note=""):
    """Move `user` to `state` and record who did it; a no-op change records nothing."""
    ApiAccount.objects.get_or_create(user=user)
    account = ApiAccount.objects.select_for_update().get(user=user)
    if account.state == state:
        return account
    AccountStateChange.objects.create(
        user=user, from_state=account.state, to_state=state, changed_by=changed_by, note=note
    )
    account.state = state
    account.save(update_fields=["state", "updated"])
    return account


def account_suspend(*, user, reason, changed_by=None, note=""):
    """Lock (`reason="billing"`) or disable (`reason="terms"`) API access."""
    return account_set_state(user=user, state=SUSPEND_REASONS[reason], changed_by=changed_by, note=note)


def account_restore(*, user, changed_by=None, note=""):
    return account_set_state(user=user, state=AccountState.ACTIVE, changed_by=changed_by, note=note)
