"""May this client be used? Its own state, then its owner's: one rule for Basic, OAuth and pages."""
from accounts.models import AccountState
from accounts.policy import account_state
from apiv2.errors import AccountDisabled, InvalidClientKey


def client_key_refusal(consumer):
    """Unknown or revoked keys are refused alike, so the answer does not say which."""
    if consumer is None or not consumer.is_active:
        return InvalidClientKey()
    return None


def consumer_refusal(consumer):
    """The key's own refusal, else its owner's: a disabled developer's keys stop for everyone."""
    refusal = client_key_refusal(consumer)
    if refusal is None and account_state(consumer.user) == AccountState.DISABLED:
        refusal = AccountDisabled()
    return refusal
