"""May this account use the API now? The one rule every entry point asks (Basic, OAuth, pages)."""
from accounts.models import AccountState, ApiAccount
from apiv2.errors import AccountDisabled, AccountLocked

REFUSALS = {AccountState.LOCKED: AccountLocked, AccountState.DISABLED: AccountDisabled}


def account_state(user):
    """Read fresh on every call, so a change by staff applies on the very next request."""
    state = ApiAccount.objects.filter(user_id=user.pk).values_list("state", flat=True).first()
    return state or AccountState.ACTIVE


def state_refusal(state):
    """The refusal (an `ApiError`) an account state calls for, or None when it may proceed."""
    refusal = REFUSALS.get(state or AccountState.ACTIVE)
    return refusal() if refusal else None


def account_refusal(user):
    return state_refusal(account_state(user))
