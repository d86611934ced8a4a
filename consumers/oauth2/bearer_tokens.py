"""OAuth 2.0 access tokens for `/v2` (Bearer): the form we issue them in, and reads of the token, its
client and the user it acts for, from the shared store when warm, else in one query.

An access token we issue ends with `.` and the key of the client it was issued to, so a request's one
read fetches the token's snapshot and its client's together: a warm Bearer request makes two round
trips (that read, then the rate count), as Basic does, not three. The client key is no secret (OAuth
1.0a sends it in the clear) and the token's digest covers it: a token whose key was changed is
unknown. A token without one (issued before) is read as before: its snapshot, then its client's.

A token's snapshot is a `BearerToken` as plain data (no token text: it is named by the token's SHA-256,
as django-oauth-toolkit's `token_checksum` is). Forgotten by `consumers.signals` when the token is
deleted (django-oauth-toolkit revokes by deleting), its client or its user changes.
"""
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from oauthlib.common import generate_token

from accounts.policy import attach_loaded_state
from consumers.lookup_cache import (
    BEARER_TOKEN,
    CONSUMER,
    key_digest,
    remember,
    remember_digest,
    row_data,
    row_from,
    snapshot_key,
    snapshot_key_of_digest,
)
from consumers.selectors import consumer_get_by_key, consumer_prepare, consumer_snapshot, owner_columns

USER = ("loaded_api_state",)


@dataclass(frozen=True)
class BearerToken:
    """What a request needs of an access token. `user` None: a client-credentials token, which acts
    for the client's owner."""

    pk: int
    checksum: str
    client_key: str
    user: object
    scopes: tuple
    expires: object

    @property
    def scope_list(self):
        return list(self.scopes)

    def expired(self, now=None):
        return self.expires <= (now or timezone.now())

    def snapshot(self):
        return {"pk": self.pk, "checksum": self.checksum, "client_key": self.client_key,
                "user": None if self.user is None else row_data(self.user, attributes=USER),
                "scopes": list(self.scopes), "expires": self.expires.isoformat()}

    @classmethod
    def from_snapshot(cls, data):
        user = None if data["user"] is None else row_from(get_user_model(), data["user"])
        return cls(pk=data["pk"], checksum=data["checksum"], client_key=data["client_key"], user=user,
                   scopes=tuple(data["scopes"]), expires=datetime.fromisoformat(data["expires"]))


CLIENT_KEY_SEPARATOR = "."


def access_token_generate(request):
    """django-oauth-toolkit's `ACCESS_TOKEN_GENERATOR`: oauthlib's random token, then the key of the
    client the token is issued to (`request.client`, which oauthlib has authenticated)."""
    return access_token_for(getattr(getattr(request, "client", None), "client_id", ""))


def access_token_for(client_key):
    """A new access token of a client: 30 random characters (oauthlib's), `.`, the client key."""
    return f"{generate_token()}{CLIENT_KEY_SEPARATOR}{client_key}" if client_key else generate_token()


def client_key_named_by(token):
    """The client key a token says it was issued to ("" when it names none): a hint for the read,
    trusted only when the token's own snapshot names the same client."""
    random_part, separator, client_key = token.rpartition(CLIENT_KEY_SEPARATOR)
    return client_key if separator and random_part else ""


def bearer_snapshot_name(token):
    """The name of the token's snapshot; its digest is what the database is searched by."""
    return snapshot_key_of_digest(BEARER_TOKEN, key_digest(token))


def bearer_snapshot_names(token):
    """What a Bearer request reads in its one round trip: the token's snapshot, and its client's when
    the token names its client."""
    client_key = client_key_named_by(token)
    return [bearer_snapshot_name(token), *([snapshot_key(CONSUMER, client_key)] if client_key else [])]


def bearer_credentials(token, *, found=None):
    """(client, `BearerToken`) for a Bearer token that is known and not expired, else (None, None):
    the token from what the caller read (`found`, holding `bearer_snapshot_names(token)`) or from one
    query, remembering a token found (an unknown one costs the query each time: see
    `lookup_cache.UNKNOWN`); its client from what the caller read when the token named it, else from
    its own snapshot or query."""
    digest = key_digest(token)
    data = (found or {}).get(snapshot_key_of_digest(BEARER_TOKEN, digest))
    if data is None:
        return _load(digest)
    snapshot = BearerToken.from_snapshot(data)
    if not hmac.compare_digest(snapshot.checksum, digest) or snapshot.expired():
        return None, None
    read_with_token = client_key_named_by(token) == snapshot.client_key
    consumer = consumer_get_by_key(snapshot.client_key, found=found if read_with_token else None)
    if consumer is None:
        return None, None
    return consumer, snapshot


def acting_user(consumer, token):
    """The user a token acts for: its user, or the client's owner for client credentials."""
    return token.user if token.user is not None else consumer.user


def _load(digest):
    access_token = (
        get_access_token_model().objects
        .select_related("user", "application", "application__user")
        .defer("token", "user__password", "application__user__password")
        .annotate(user_state=F("user__api_account__state"), **owner_columns("application__"))
        .filter(token_checksum=digest)
        .first()
    )
    if access_token is None or access_token.application is None:
        return None, None
    consumer = consumer_prepare(access_token.application, loaded_with=access_token)
    user = access_token.user
    if user is not None:
        attach_loaded_state(user, access_token.user_state)
    token = BearerToken(pk=access_token.pk, checksum=access_token.token_checksum, client_key=consumer.client_id,
                        user=user, scopes=tuple(access_token.scope.split()), expires=access_token.expires)
    remember(CONSUMER, consumer.client_id, consumer_snapshot(consumer))
    remember_digest(BEARER_TOKEN, digest, token.snapshot())
    if not hmac.compare_digest(access_token.token_checksum, digest) or token.expired():
        return None, None
    return consumer, token


def bearer_token_client_key(token):
    """The client key of a token we issued, expired or not, else "": whose app a refused Bearer
    request was for (`apiv2.refusals_noted`). One query, by the token's digest."""
    return (get_access_token_model().objects.filter(token_checksum=key_digest(token))
            .values_list("application__client_id", flat=True).first()) or ""
