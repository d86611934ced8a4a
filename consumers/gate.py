"""The one gate: may this client, acting for this user, through this scheme, use the API now?

Every way in asks it: Basic, OAuth 1.0a resource requests, both token endpoints and the authorize page,
and OAuth 2.0's token endpoint and consent page (client credentials act as the owner, like Basic).
Nothing else reads the flags it reads. In the contract's order, the first refusal answers: client
known and active (a client staff rejected is as revoked) -> owner rule (Basic) -> the client's owner
deactivated or disabled -> a client awaiting review used for anyone but its owner -> the acting user
deactivated, locked or disabled. Scope is the view's to check.
"""
from access.refusals import (
    AccountDisabled,
    AccountLocked,
    AppNotApproved,
    ClientKeyInvalid,
    ClientKeyNotOwned,
    InvalidCredentials,
)
from accounts.models import AccountState
from accounts.policy import account_state

BASIC = "basic"
OAUTH1 = "oauth1"
OAUTH2 = "oauth2"

STATE_REFUSALS = {AccountState.LOCKED: AccountLocked, AccountState.DISABLED: AccountDisabled}


def gate(*, client, user, scheme):
    """The refusal for this use of the API, or None when it may go on. `user` is the acting user
    (None where no user is known yet, as at the request-token step)."""
    return client_refusal(client, user, scheme) or user_refusal(user)


def client_refusal(client, user=None, scheme=OAUTH1):
    """What is wrong with the client itself: revoked, rejected or unknown, used by a stranger with Basic,
    its owner deactivated (it stops for everyone, as if unknown) or disabled, or awaiting review and
    used for someone other than its owner. `user` None (no user known yet) is not a stranger: the
    owner may be the one who approves the request token."""
    if client is None or not client.key_works:
        return ClientKeyInvalid()
    stranger = user is not None and client.user_id != user.pk
    if scheme == BASIC and stranger:
        return ClientKeyNotOwned()
    owner = client.user
    if not owner.is_active:
        return ClientKeyInvalid()
    if account_state(owner) == AccountState.DISABLED:
        return AccountDisabled()
    if stranger and client.awaiting_review:
        return AppNotApproved()
    return None


def user_refusal(user):
    """What is wrong with the acting user: deactivated by staff (as bad credentials), locked, disabled."""
    if user is None:
        return None
    if not user.is_active:
        return InvalidCredentials()
    refusal = STATE_REFUSALS.get(account_state(user))
    return refusal() if refusal else None
