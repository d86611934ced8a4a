"""Whether the shared store can be used right now (for `/v2/status`), asked through the same client and
the same failure policy as the requests."""
from django.core.cache import caches
from django.db import DatabaseError

from access.store import connection


def reachable():
    if connection.in_use():
        try:
            return bool(connection.call(lambda used: used.ping(), "ping"))
        except connection.Unreachable:
            return False
    try:
        cache = caches["database"]
        cache.set("status-probe", "1", 5)
        return cache.get("status-probe") == "1"
    except DatabaseError:
        return False
