"""Reads of OAuth 1.0a tokens. Each returns only tokens that may still be used, or None; but
`token_standing`, which says why a token cannot be used, for the owner's signature debugger."""
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from access.storable import storable
from access.store.connection import in_use as redis_in_use
from accounts.policy import attach_loaded_state
from consumers.lookup_cache import (
    ACCESS_TOKEN,
    CONSUMER,
    remember,
    remembered,
    remembered_in,
    row_data,
    row_from,
    snapshot_key,
)
from consumers.oauth1.models import AccessToken, RequestToken
from consumers.selectors import consumer_from_snapshot, consumer_load, consumer_prepare, owner_columns


def request_token_get(*, consumer_key, key):
    """A live request token issued to the client with `consumer_key`."""
    if not (storable(consumer_key) and storable(key)):
        return None
    return (
        RequestToken.objects.live()
        .select_related("user")
        .filter(consumer__client_id=consumer_key, key=key)
        .first()
    )


def request_token_get_for_authorization(key):
    """A live request token no user has authorized yet, with its client and the client's developer."""
    if not key or not storable(key):
        return None
    request_token = (
        RequestToken.objects.live()
        .select_related("consumer", "consumer__user")
        .defer("consumer__user__password")
        .annotate(**owner_columns("consumer__"))
        .filter(key=key, authorized_at__isnull=True)
        .first()
    )
    if request_token is not None:
        consumer_prepare(request_token.consumer, loaded_with=request_token)
    return request_token


def access_token_get(*, consumer_key, key):
    """A live access token of the client with `consumer_key`, with its user and the user's account
    state: from the shared cache or in one query."""
    (data,) = remembered((ACCESS_TOKEN, key))
    return _of_client(_access_token_load(key) if data is None else access_token_from_snapshot(data), consumer_key)


def resource_snapshot_names(*, consumer_key, token_key):
    """The names under which `resource_credentials` finds its snapshots, for a caller that reads them
    itself along with its own (`found`)."""
    return [snapshot_key(CONSUMER, consumer_key), snapshot_key(ACCESS_TOKEN, token_key)]


def resource_credentials(*, consumer_key, token_key, found=None):
    """(client, access token) for a signed API request: both from one cache round trip (or from
    `found`, what the caller read of `resource_snapshot_names`), or both from one query without
    Redis; (None, None) unless the live token belongs to that client.

    An unknown token ends the lookup (its request is refused as unknown whatever the client), so
    known and unknown keys cost the same lookups and the answer time does not tell them apart.
    """
    if redis_in_use():
        if found is None:
            consumer, token = remembered((CONSUMER, consumer_key), (ACCESS_TOKEN, token_key))
        else:
            consumer = remembered_in(found, CONSUMER, consumer_key)
            token = remembered_in(found, ACCESS_TOKEN, token_key)
        token = _of_client(_access_token_load(token_key) if token is None else access_token_from_snapshot(token),
                           consumer_key)
        if token is None:
            return None, None
        consumer = consumer_load(consumer_key) if consumer is None else consumer_from_snapshot(consumer)
        if consumer is None:
            return None, None
    elif not (storable(consumer_key) and storable(token_key)):
        return None, None
    else:
        token = (
            _access_token_queryset()
            .select_related("consumer", "consumer__user")
            .defer("consumer__user__password")
            .annotate(**owner_columns("consumer__"))
            .filter(key=token_key, consumer__client_id=consumer_key)
            .first()
        )
        if token is None:
            return None, None
        consumer = consumer_prepare(token.consumer, loaded_with=token)
        _access_token_prepare(token)
    token.consumer = consumer  # a token snapshot holds no client: the client's own is forgotten apart
    return consumer, token


def _access_token_queryset():
    return (
        AccessToken.objects.live()
        .select_related("user")
        .defer("user__password")
        .annotate(user_state=F("user__api_account__state"), consumer_key=F("consumer__client_id"))
    )


def _access_token_prepare(token):
    attach_loaded_state(token.user, token.user_state)
    del token.user_state
    return token


def _access_token_load(key):
    """From the database, remembering a live token found (see `lookup_cache.UNKNOWN`)."""
    token = _access_token_queryset().filter(key=key).first() if storable(key) else None
    if token is not None:
        _access_token_prepare(token)
        remember(ACCESS_TOKEN, key, access_token_snapshot(token))
    return token


# A token's snapshot: its columns, its client's key, and its user with the user's account state.
TOKEN_USER = {"user": (("loaded_api_state",), None)}


def access_token_snapshot(token):
    return row_data(token, attributes=("consumer_key",), related=TOKEN_USER)


def access_token_from_snapshot(data):
    return row_from(AccessToken, data)


def _of_client(token, consumer_key):
    if token is None or token.consumer_key != consumer_key:
        return None
    return token


def authorized_apps_of(user):
    """The user's access tokens that still work as far as the user is concerned (not revoked)."""
    return (
        AccessToken.objects.live()
        .filter(user=user, consumer__revoked_at__isnull=True)
        .select_related("consumer", "consumer__user")
    )


# What a token key names, for the signature debugger: the kind of token, and where it stands.
ACCESS, REQUEST = "access token", "request token"
LIVE, OTHER_APP, REVOKED, EXPIRED, USED = "live", "another app's", "revoked", "expired", "used"


@dataclass(frozen=True)
class TokenStanding:
    kind: str  # ACCESS or REQUEST
    standing: str  # LIVE, OTHER_APP, REVOKED (access tokens), EXPIRED or USED (request tokens)


def token_standing(*, consumer_key, key):
    """The `TokenStanding` of the token with `key` as the client with `consumer_key` would use it, or None
    when no token has that key. Another app's token is only that: nothing more is said of it. For the
    owner's debugger only: the server's own answer never tells these apart."""
    if not storable(key):
        return None
    access = AccessToken.objects.filter(key=key).values("consumer__client_id", "revoked_at").first()
    if access is not None:
        if access["consumer__client_id"] != consumer_key:
            return TokenStanding(ACCESS, OTHER_APP)
        return TokenStanding(ACCESS, REVOKED if access["revoked_at"] else LIVE)
    request = RequestToken.objects.filter(key=key).values("consumer__client_id", "used_at", "expires_at").first()
    if request is None:
        return None
    if request["consumer__client_id"] != consumer_key:
        return TokenStanding(REQUEST, OTHER_APP)
    if request["used_at"] is not None:
        return TokenStanding(REQUEST, USED)
    return TokenStanding(REQUEST, EXPIRED if request["expires_at"] <= timezone.now() else LIVE)
