"""The shared store's one Redis client and the failure policy every call to it follows.

Redis when `REDIS_URL` is set (one server, Sentinel or Cluster: `redis_client.make_client`), else the
database. Every call has a short timeout (`SHARED_CACHE_TIMEOUT_SECONDS`) and no retry. After a
timeout, calls that only save work (`optional`) skip Redis for a moment in this process, so a hung
server costs a request about one timeout; rules (counters, nonces, forgetting) always try it, so they
work again the moment it answers.
"""
import logging
import time

import redis
from django.conf import settings
from redis.cluster import RedisCluster
from redis.crc import key_slot

from access.metrics import STORE_ERRORS, STORE_ROUND_TRIP_SECONDS
from access.store.redis_client import ERRORS, make_client

logger = logging.getLogger("access.store")

SKIP_AFTER_TIMEOUT_SECONDS = 2.0


class Unreachable(Exception):
    """Redis is configured and could not serve this call."""


class _Process:
    """This process's client, made again when the settings it was made from change (tests do)."""

    made_from = None
    client = None
    prefix = ""
    skip_until = 0.0


def in_use():
    """Is Redis the configured store? (Snapshots exist only then: the database is no faster than the
    query a snapshot saves.)"""
    return bool(settings.REDIS_URL)


def _settings_now():
    return (settings.REDIS_URL, settings.REDIS_TOPOLOGY, settings.REDIS_SENTINELS,
            settings.REDIS_SENTINEL_USERNAME, settings.REDIS_SENTINEL_PASSWORD,
            settings.SHARED_CACHE_TIMEOUT_SECONDS, settings.CACHES["default"].get("KEY_PREFIX", ""))


def client(optional=False):
    """The client; `Unreachable` for an `optional` call while Redis is skipped after a timeout, or
    when the client cannot be made (a Cluster whose nodes do not answer)."""
    made_from = _settings_now()
    if made_from != _Process.made_from:
        _Process.client, _Process.made_from = None, made_from
        _Process.prefix, _Process.skip_until = f"{made_from[-1]}:", 0.0
    if optional and time.monotonic() < _Process.skip_until:
        raise Unreachable()
    if _Process.client is None:
        try:
            _Process.client = make_client()
        except ERRORS as error:
            raise failed(error, "connect") from None
    return _Process.client


def key(name):
    """The key of a name: this deployment's prefix, then the name, whose `{...}` part (its hash tag)
    says which Cluster slot holds it."""
    return _Process.prefix + name


def call(operation, what, optional=False):
    """`operation(client)`; `Unreachable` when Redis fails (see `client` for `optional`). Timed, and
    each failure counted, in the metrics (`access.metrics`)."""
    used = client(optional)
    started = time.perf_counter()
    try:
        return operation(used)
    except ERRORS as error:
        raise failed(error, what) from None
    finally:
        STORE_ROUND_TRIP_SECONDS.labels(what).observe(time.perf_counter() - started)


def failed(error, what):
    """The `Unreachable` for a Redis error, said in the log; after a timeout optional calls skip Redis."""
    timed_out = isinstance(error, redis.TimeoutError)
    STORE_ERRORS.labels(what, "timeout" if timed_out else "unreachable").inc()
    if timed_out:
        _Process.skip_until = time.monotonic() + SKIP_AFTER_TIMEOUT_SECONDS
        logger.warning("shared cache timed out on %s; using the fallback for %ss", what,
                       SKIP_AFTER_TIMEOUT_SECONDS)
    else:
        logger.warning("shared cache unreachable on %s: %s", what, error.__class__.__name__)
    return Unreachable()


class RoundTrip:
    """Commands sent together, in one pipeline: one write to each node that holds their keys (one node
    unless Redis is a Cluster). `get` reads many names with one MGET per hash slot."""

    def __init__(self, used):
        self.pipeline = used.pipeline(transaction=False)
        self.cluster = isinstance(used, RedisCluster)

    def by_slot(self, names):
        """{slot: [(position, name), ...]}: the names a multi-key command may take together. One server
        (or a Sentinel's master) holds every slot, so there all names go together."""
        groups = {}
        for position, name in enumerate(names):
            groups.setdefault(key_slot(key(name).encode()) if self.cluster else 0, []).append((position, name))
        return groups

    def get(self, names):
        """Queue a read of `names`; a function of the answers that gives their values in order."""
        by_slot = self.by_slot(names)
        first = len(self.pipeline)
        for group in by_slot.values():
            # As a command: a Cluster's pipeline refuses `mget()`, though it sends one slot's MGET.
            self.pipeline.execute_command("MGET", *[key(name) for _, name in group])

        def values(answers):
            found = [None] * len(names)
            for group, read in zip(by_slot.values(), answers[first:first + len(by_slot)], strict=True):
                for (position, _), value in zip(group, read, strict=True):
                    found[position] = value
            return found

        return values

    def send(self):
        """The answers, in the order the commands were queued; errors raised (`call` maps them)."""
        return self.pipeline.execute()
