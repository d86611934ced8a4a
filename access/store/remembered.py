"""Remembered values: results of dear work (a verified password) kept for a short time, best effort.

In Redis, else in the database; an unreachable Redis is a miss, and a value is then kept in the database.
Values are plain data (JSON).
"""
import contextlib
import json

from django.core.cache import caches

from access.store import connection

DATABASE_CACHE = "database"


def remember(name, value, seconds):
    """Keep a value that saves dear work; best effort."""
    if connection.in_use():
        stored = json.dumps(value)
        try:
            connection.call(lambda used: used.set(connection.key(name), stored, ex=seconds), "remember",
                            optional=True)
            return
        except connection.Unreachable:
            pass
    caches[DATABASE_CACHE].set(name, value, seconds)


def read_value(stored):
    """A value as `remember` stored it in Redis, or None."""
    if stored is None:
        return None
    with contextlib.suppress(ValueError):
        return json.loads(stored)
    return None


def discard(names):
    """Drop remembered values a reader found stale; best effort (they are checked again anyway)."""
    names = list(names)
    if not names:
        return
    if connection.in_use():
        try:
            connection.call(lambda used: [used.delete(connection.key(name)) for name in names], "discard",
                            optional=True)
            return
        except connection.Unreachable:
            pass
    caches[DATABASE_CACHE].delete_many(names)
