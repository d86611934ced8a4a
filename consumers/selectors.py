"""Reads of registered clients."""
from django.db.models import F

from access.storable import storable
from accounts.policy import attach_loaded_state
from accounts.verified_passwords import fingerprint_of_hash
from consumers.lookup_cache import CONSUMER, UNKNOWN, remember, remembered, remembered_in
from consumers.models import Consumer, ReviewStatus


def consumer_get_by_key(client_key, found=None):
    """The client with this key, revoked or not, or None: with its owner and the owner's account
    state, from the shared cache or in one query. `found`: a batch the caller read from the cache,
    holding `snapshot_key(CONSUMER, client_key)`."""
    if not client_key:
        return None
    consumer = remembered((CONSUMER, client_key))[0] if found is None else remembered_in(found, CONSUMER, client_key)
    if consumer is None:
        consumer = consumer_load(client_key)
    return None if consumer == UNKNOWN else consumer


def consumer_load(client_key):
    """From the database, remembering a client found (see `lookup_cache.UNKNOWN`)."""
    consumer = consumer_queryset().filter(client_id=client_key).first() if storable(client_key) else None
    if consumer is not None:
        consumer_prepare(consumer)
    remember(CONSUMER, client_key, consumer)
    return consumer


def consumer_queryset():
    return Consumer.objects.select_related("user").defer("user__password").annotate(**owner_columns())


def owner_columns(path=""):
    """Annotations that load a client's owner state and password hash with the client, for
    `consumer_prepare`; `path` leads from the queried model to the client (e.g. "consumer__")."""
    return {"owner_state": F(f"{path}user__api_account__state"), "owner_password": F(f"{path}user__password")}


def consumer_prepare(consumer, loaded_with=None):
    """Attach the owner's state; keep a keyed digest of the owner's password hash, never the hash.
    `loaded_with`: the row that carries `owner_columns` when it is not the client itself."""
    row = loaded_with if loaded_with is not None else consumer
    attach_loaded_state(consumer.user, row.owner_state)
    consumer.user.password_fingerprint = fingerprint_of_hash(row.owner_password)
    del row.owner_state, row.owner_password
    return consumer


def consumers_of(user):
    return Consumer.objects.filter(user=user)


def consumers_usable_of(user):
    """The user's clients whose key works: neither revoked nor rejected in review (one awaiting review
    works for its owner)."""
    return consumers_of(user).active().exclude(review_status=ReviewStatus.REJECTED)


def consumers_listed_of(user):
    """The user's clients as their list shows them: the live ones first, then the revoked, each newest
    first, so an app revoked long ago does not stay at the top."""
    return consumers_of(user).order_by(F("revoked_at").desc(nulls_first=True), "-created", "-id")
