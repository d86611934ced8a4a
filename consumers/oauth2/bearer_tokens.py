"""Reads of OAuth 2.0 access tokens for `/v2` (Bearer): the token, its client and the user it acts for,
from the shared store when warm (the token's snapshot, then its client's), else in one query.

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

from accounts.policy import attach_loaded_state
from consumers.lookup_cache import (
    BEARER_TOKEN,
    CONSUMER,
    key_digest,
    remember,
    remember_digest,
    row_data,
    row_from,
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


def bearer_snapshot_name(token):
    """The name of the token's snapshot; its digest is what the database is searched by."""
    return snapshot_key_of_digest(BEARER_TOKEN, key_digest(token))


def bearer_credentials(token, *, found=None):
    """(client, `BearerToken`) for a Bearer token that is known and not expired, else (None, None):
    the token from what the caller read (`found`, holding `bearer_snapshot_name(token)`) or from one
    query, remembering a token found (an unknown one costs the query each time: see
    `lookup_cache.UNKNOWN`); its client from its own snapshot or query."""
    digest = key_digest(token)
    data = (found or {}).get(snapshot_key_of_digest(BEARER_TOKEN, digest))
    if data is None:
        return _load(digest)
    snapshot = BearerToken.from_snapshot(data)
    if not hmac.compare_digest(snapshot.checksum, digest) or snapshot.expired():
        return None, None
    consumer = consumer_get_by_key(snapshot.client_key)
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
