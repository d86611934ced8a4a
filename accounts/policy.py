"""An account's API state as each request sees it: read fresh, or as loaded with the credentials."""
from accounts.models import AccountState, ApiAccount


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
