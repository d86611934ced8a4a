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


def client_tag(client_key):
    """The hash tag of what is kept per client key (its snapshot, its nonces, its rate counter): one
    Redis Cluster slot holds them, so a signed request's read and nonce claim go to one node."""
    return f"c:{client_key_name(client_key)}"


def account_tag(username):
    """The hash tag of what is kept per account (its rate counter, its failed sign-ins, its remembered
    password check): one slot."""
    return f"u:{account_name(username)}"
