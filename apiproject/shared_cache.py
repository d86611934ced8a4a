"""Reads and writes of the shared cache for lookups that the database can always answer instead.

When the cache (Redis) is unreachable these degrade to a miss, so Basic keeps working on the
database alone. Replay protection does NOT use these: a nonce store that cannot be reached refuses.
"""
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_get_many(keys):
    """A dict of the keys found, or None when the cache is unreachable (a miss for the caller)."""
    try:
        return cache.get_many(keys)
    except Exception as error:  # noqa: BLE001 - any backend failure is a miss here
        logger.warning("shared cache unreachable on get_many: %s", error.__class__.__name__)
        return None


def cache_set(key, value, seconds):
    try:
        cache.set(key, value, seconds)
    except Exception as error:  # noqa: BLE001
        logger.warning("shared cache unreachable on set: %s", error.__class__.__name__)


def cache_delete_many(keys):
    try:
        cache.delete_many(keys)
    except Exception as error:  # noqa: BLE001
        logger.warning("shared cache unreachable on delete: %s", error.__class__.__name__)


def increment_counters(keys_with_periods):
    """Add one to each counter and return the new counts, or None when the cache is unreachable.

    A counter lives for its period. On Redis the increments are atomic and all of them cost one
    round trip; on the database cache they are a read and a write each, close enough for limits.
    """
    try:
        return _increment(keys_with_periods)
    except Exception as error:  # noqa: BLE001
        logger.warning("shared cache unreachable on increment: %s", error.__class__.__name__)
        return None


def _increment(keys_with_periods):
    if settings.REDIS_URL:
        client = cache._cache.get_client(write=True)  # Django's Redis backend: pipeline the commands
        pipeline = client.pipeline(transaction=False)
        for key, period in keys_with_periods:
            full_key = cache.make_and_validate_key(key)
            pipeline.incr(full_key)
            pipeline.expire(full_key, period, nx=True)
        return pipeline.execute()[0::2]
    counts = []
    for key, period in keys_with_periods:
        if cache.add(key, 1, period):
            counts.append(1)
            continue
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, period)
            counts.append(1)
    return counts
