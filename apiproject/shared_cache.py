"""Reads and writes of the shared cache for lookups that the database can always answer instead.

When the cache (Redis) is unreachable these degrade to a miss, so Basic keeps working on the
database alone. Replay protection does NOT use these: a nonce store that cannot be reached refuses.
"""
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_get(key):
    try:
        return cache.get(key)
    except Exception as error:  # noqa: BLE001 - any backend failure is a miss here
        logger.warning("shared cache unreachable on get: %s", error.__class__.__name__)
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
