"""Client-key lookups remembered in the shared cache, forgotten whenever their source changes.

A snapshot is the client with its owner and the owner's account state, as `consumer_get_by_key`
loads them. The owner's password hash never enters the cache: only a keyed digest of it, which is
all the Basic fast path compares. Writers forget snapshots through `consumers.signals` (any save of
a client, its owner or the owner's account) and `consumer_mark_used` (a queryset update).
"""
import hashlib

from django.conf import settings
from django.db import transaction

from apiproject.shared_cache import cache_delete_many, cache_get, cache_set

SNAPSHOT_SECONDS = 60
# Unknown keys are remembered too, so that a known and an unknown key take the same path and time:
# otherwise answering from Redis for one and from the database for the other tells them apart.
UNKNOWN = "unknown"


def snapshot_key(client_key):
    # Hashed: an unknown key is whatever a caller sent, of any length and alphabet.
    return f"consumer-snapshot:{hashlib.sha256(client_key.encode('utf-8', 'surrogatepass')).hexdigest()}"


def remembered_consumer(client_key):
    # Only Redis is faster than the one query it replaces; the database cache would cost the same.
    return cache_get(snapshot_key(client_key)) if settings.REDIS_URL else None


def remember_consumer(client_key, consumer):
    """`consumer` may be None: the key is then remembered as unknown."""
    if settings.REDIS_URL:
        cache_set(snapshot_key(client_key), UNKNOWN if consumer is None else consumer, SNAPSHOT_SECONDS)


def forget_consumers(client_keys):
    """Forget now, and again after the transaction commits, so no request re-caches the old row."""
    keys = [snapshot_key(client_key) for client_key in client_keys]
    if not keys or not settings.REDIS_URL:
        return
    cache_delete_many(keys)
    transaction.on_commit(lambda: cache_delete_many(keys))
