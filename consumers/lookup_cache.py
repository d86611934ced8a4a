"""Credential lookups remembered in the shared cache (Redis only), forgotten whenever their source changes.

Two kinds of snapshot: a client with its owner and the owner's account state (by client key), and
an access token with its user and the user's account state (by token key). Neither holds a password
hash (only a keyed digest of it) nor a plaintext secret (see `consumers.secret_box`). Writers
forget snapshots through `consumers.signals` (any save of a client, token, user or account state)
and through `consumers.services.record_last_use`, a queryset update that sends no signal.
"""
import hashlib

from django.conf import settings
from django.db import transaction

from apiproject.shared_cache import cache_delete_many, cache_get_many, cache_set

SNAPSHOT_SECONDS = 60
# Unknown keys are remembered too, so that a known and an unknown key take the same path and time:
# otherwise answering from Redis for one and from the database for the other tells them apart.
UNKNOWN = "unknown"
CONSUMER = "consumer"
ACCESS_TOKEN = "access-token"


def snapshot_key(kind, key):
    # Hashed: an unknown key is whatever a caller sent, of any length and alphabet.
    return f"{kind}-snapshot:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"


def remembered(*wanted):
    """For each (kind, key): the snapshot, UNKNOWN, or None when nothing is remembered; one round trip.

    Only Redis is faster than the query it replaces: with the database cache nothing is remembered.
    """
    if not settings.REDIS_URL:
        return [None] * len(wanted)
    names = [snapshot_key(kind, key) for kind, key in wanted]
    found = cache_get_many(names) or {}
    return [found.get(name) for name in names]


def remembered_in(found, kind, key):
    """The snapshot in a batch the caller read itself (see `snapshot_key`), like `remembered`."""
    return found.get(snapshot_key(kind, key)) if settings.REDIS_URL else None


def remember(kind, key, value):
    """`value` None remembers the key as unknown."""
    if settings.REDIS_URL:
        cache_set(snapshot_key(kind, key), UNKNOWN if value is None else value, SNAPSHOT_SECONDS)


def forget(kind, keys):
    """Forget now, and again after the transaction commits, so no request re-caches the old row."""
    names = [snapshot_key(kind, key) for key in keys]
    if not names or not settings.REDIS_URL:
        return
    cache_delete_many(names)
    transaction.on_commit(lambda: cache_delete_many(names))
