"""The credentials record every authentication scheme hands the views as `request.auth`, and the names
an account and a client key go by in shared counters."""
from dataclasses import dataclass, field

from access.windows import counter_digest


@dataclass(frozen=True)
class ApiCredentials:
    scheme: str  # "basic", "oauth1" or "oauth2"
    consumer: object  # consumers.models.Consumer
    scopes: tuple = field(default_factory=tuple)
    token: object = None  # the OAuth 1.0a access token or OAuth 2.0 `BearerToken`, None for Basic


def account_name(username):
    """An account's name in shared counters (rate limits): a digest of its username, which is known
    before its id is (Basic) and may hold any character."""
    return counter_digest(username)


def client_key_name(client_key):
    """A client key's name in shared counters: a digest, as the key a caller sent may be anything."""
    return counter_digest(client_key)
