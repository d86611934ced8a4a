"""Reads of OAuth 2.0 access tokens for `/v2` (Bearer): the token, its client and the user it acts for,
from one round trip to the shared store when warm, else in one query.

A token's snapshot is a `BearerToken` (no token text: it is named by the token's SHA-256, as
django-oauth-toolkit's `token_checksum` is) tagged with what the same round trip reads next: the
client's snapshot and the rate counters of the client key and of the account (`BEARER_TAG`).
Forgotten by `consumers.signals` when the token is deleted (django-oauth-toolkit revokes by
deleting), its client or its user changes.
"""
import hmac
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from access.credentials import account_name, client_key_name
from accounts.policy import attach_loaded_state
from consumers.lookup_cache import (
    BEARER_TOKEN,
    CONSUMER,
    UNKNOWN,
    key_digest,
    remember,
    remember_digest,
    snapshot_key_of_digest,
)
from consumers.selectors import consumer_load, consumer_prepare, owner_columns

# The parts of a token snapshot's tag, as `access.shared_state.fetch_by_tag` names them: the client's
# snapshot digest, the client key's and the account's names in the counters.
CLIENT_DIGEST, CLIENT_KEY_NAME, ACCOUNT = "{1}", "{2}", "{3}"
CONSUMER_BY_TAG = snapshot_key_of_digest(CONSUMER, CLIENT_DIGEST)


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


def bearer_snapshot_name(token):
    """The name of the token's snapshot; its digest is what the database is searched by."""
    return snapshot_key_of_digest(BEARER_TOKEN, key_digest(token))


def bearer_credentials(token, *, found=None, names=None):
    """(client, `BearerToken`) for a Bearer token that is known and not expired, else (None, None):
    from what the caller read with `fetch_by_tag` (`found`, `names`), or from one query, remembering
    a token found (an unknown one costs the query each time: see `lookup_cache.UNKNOWN`)."""
    digest = key_digest(token)
    snapshot = (found or {}).get(snapshot_key_of_digest(BEARER_TOKEN, digest))
    if snapshot is None:
        return _load(digest)
    if snapshot == UNKNOWN or not hmac.compare_digest(snapshot.checksum, digest) or snapshot.expired():
        return None, None
    consumer = (found or {}).get((names or {}).get(CONSUMER_BY_TAG, ""))
    if consumer is None:
        consumer = consumer_load(snapshot.client_key)
    if consumer is None or consumer == UNKNOWN:
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
    remember(CONSUMER, consumer.client_id, consumer)
    account = account_name(acting_user(consumer, token).get_username())
    tag = f"{key_digest(consumer.client_id)},{client_key_name(consumer.client_id)},{account}"
    remember_digest(BEARER_TOKEN, digest, token, tag=tag)
    if not hmac.compare_digest(access_token.token_checksum, digest) or token.expired():
        return None, None
    return consumer, token
