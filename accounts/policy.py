"""May this account use the API now? The one rule every entry point asks (Basic, OAuth, pages)."""
from accounts.models import AccountState, ApiAccount
from apiv2.errors import AccountDisabled, AccountLocked

REFUSALS = {AccountState.LOCKED: AccountLocked, AccountState.DISABLED: AccountDisabled}


def account_state(user):
    """Read fresh on every call, so a change by staff applies on the very next request."""
    state = ApiAccount.objects.filter(user_id=user.pk).values_list("state", flat=True).first()
    return state or AccountState.ACTIVE


def account_refusal(user):
    """The refusal (an `ApiError`) this account's state calls for, or None when it may proceed."""
    refusal = REFUSALS.get(account_state(user))
    return refusal() if refusal else None
