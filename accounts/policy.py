"""May this account use the API now? The one rule every entry point asks (Basic, OAuth, pages)."""
from accounts.models import AccountState, ApiAccount
from apiv2.errors import AccountDisabled, AccountLocked

REFUSALS = {AccountState.LOCKED: AccountLocked, AccountState.DISABLED: AccountDisabled}


def account_state(user):
    """Read fresh for each request, so a change by staff applies on the very next one: from the row,
    or from what a credentials selector loaded with the user in this request (`attach_loaded_state`)."""
    loaded = user.__dict__.get("loaded_api_state")
    if loaded is not None:
        return loaded
    state = ApiAccount.objects.filter(user_id=user.pk).values_list("state", flat=True).first()
    return state or AccountState.ACTIVE


def attach_loaded_state(user, state):
    """For selectors that load the account state along with the user (None means no row: active)."""
    user.loaded_api_state = state or AccountState.ACTIVE
    return user


def account_refusal(user):
    """The refusal (an `ApiError`) this account's state calls for, or None when it may proceed."""
    refusal = REFUSALS.get(account_state(user))
    return refusal() if refusal else None
