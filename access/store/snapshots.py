"""Snapshots: copies of rows kept in Redis to save queries, as plain data with a schema version.

Only in Redis (the database is no faster than the query a snapshot saves): an unreachable Redis is a
miss. Forgetting one is part of a state change: when that cannot be done it raises, the caller's
transaction rolls back, and the change fails loudly instead of leaving the old state in force. A
forgotten snapshot leaves a tombstone for a few seconds, so a request that read the old row just
before the change cannot put it back.
"""
import contextlib
import json
import logging

from django.db import transaction

from access.refusals import SharedStateUnavailable
from access.store import connection

logger = logging.getLogger("access.store")

SCHEMA = 1  # a snapshot written by another schema reads as a miss (a deploy may mix two)
TOMBSTONE = b"forgotten"
TOMBSTONE_SECONDS = 10


def encoded(data):
    """The stored form of a snapshot's data (JSON, with the schema's version)."""
    return json.dumps({"v": SCHEMA, "data": data}, separators=(",", ":")).encode()


def decoded(stored):
    """The data of a stored snapshot, or None for a tombstone, another schema or anything unreadable."""
    if stored is None or stored == TOMBSTONE:
        return None
    try:
        snapshot = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(snapshot, dict) or snapshot.get("v") != SCHEMA:
        return None
    return snapshot.get("data")


def keep(name, data, seconds):
    """Keep a snapshot unless one is there already (a tombstone included); best effort."""
    if not connection.in_use():
        return
    stored = encoded(data)
    with contextlib.suppress(connection.Unreachable):
        connection.call(lambda used: used.set(connection.key(name), stored, ex=seconds, nx=True), "keep",
                        optional=True)


def forget(names):
    """Forget snapshots because their rows change: now, and again once the transaction commits.

    Raises `SharedStateUnavailable` when Redis cannot be reached, so the change (in a transaction)
    fails rather than leaving the old state in force for the snapshots' lifetime.
    """
    names = list(names)
    if not names or not connection.in_use():
        return

    def bury(used):
        pipeline = used.pipeline(transaction=False)
        for name in names:
            pipeline.set(connection.key(name), TOMBSTONE, ex=TOMBSTONE_SECONDS)
        pipeline.execute()

    try:
        connection.call(bury, "forget")
    except connection.Unreachable:
        raise SharedStateUnavailable(
            "The shared cache could not be reached, so the change was not made; try again."
        ) from None

    def bury_again():
        try:
            connection.call(bury, "forget")
        except connection.Unreachable:
            logger.error("shared cache unreachable after a commit: %d snapshot(s) may stay buried", len(names))

    transaction.on_commit(bury_again)
