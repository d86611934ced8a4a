"""The credentials record every authentication scheme hands the views as `request.auth`, and the names
an account and a client key go by in shared counters."""
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApiCredentials:
    scheme: str  # "basic", "oauth1" or "oauth2"
    consumer: object  # consumers.models.Consumer
    scopes: tuple = field(default_factory=tuple)
    token: object = None  # the OAuth 1.0a access token or OAuth 2.0 `BearerToken`, None for Basic


def account_name(username):
    """An account's name in shared counters (rate limits): a digest of its username, which is known
    before its id is (Basic) and may hold any character."""
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def client_key_name(client_key):
    """A client key's name in shared counters: a digest, as the key a caller sent may hold any character
    (a NUL, which the database cache on PostgreSQL cannot take) and be of any length."""
    return hashlib.sha256(client_key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
