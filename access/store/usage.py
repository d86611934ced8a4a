"""An app's traffic in the shared store: requests counted per day, refusals per day by reason code, and
the app's recent refusals, for its usage page.

Everything is kept under the client key's hash tag (`access.credentials.client_tag`), beside the key's
snapshot, nonces and rate counter, so on a Redis Cluster one node holds an app's usage and each write
below is one pipeline to it.

- A request the throttle counts is counted here in the throttle's own round trip: `usage_counter` is
  one more (name, period) for `counters.counters_add`, so a served request costs no round trip more.
  The throttle counts before it judges, so the day's `counted` holds every request that reached it,
  the ones it then refused too.
- A refusal is noted after the answer is decided (`refusal_note`), in one write: one more for its reason
  code in the day's refusals (and, when the throttle had counted that request, one more under
  `COUNTED`), and the entry pushed onto the app's recent refusals (the newest `RECENT_KEPT`, kept
  `RECENT_SECONDS` after the last). So served = counted - refusals the throttle had counted.
- Only for a client key that exists: the callers look it up first, so a made-up key leaves nothing.

Counts live `DAY_SECONDS_KEPT` (31 days: a page shows 30). Without Redis, the database cache holds the
same names (a counter, a dict, a list). When Redis is configured but cannot be reached, a refusal is
not noted (it is optional: the answer goes out as decided) and the page says the store could not be
read; the throttle's count falls back to the database as every count does.
"""
import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.cache import caches
from django.db import DatabaseError

from access.credentials import client_tag
from access.store import connection
from access.store.counters import DATABASE_CACHE, database_counters_locked

logger = logging.getLogger("access.store")

DAY_SECONDS_KEPT = 31 * 86400
RECENT_KEPT = 100
RECENT_SECONDS = 7 * 86400
COUNTED = "+counted"  # in a day's refusals: those the throttle had counted (no reason code starts with "+")
ENTRY_FIELDS = ("at", "method", "path", "scheme", "reason", "address")


def day_of(when):
    """The UTC day (`yyyymmdd`) of a time in seconds since the epoch."""
    return datetime.fromtimestamp(when, UTC).strftime("%Y%m%d")


def counted_name(client_key, day):
    return f"usage:{{{client_tag(client_key)}}}:{day}:counted"


def refused_name(client_key, day):
    return f"usage:{{{client_tag(client_key)}}}:{day}:refused"


def recent_name(client_key):
    return f"usage:{{{client_tag(client_key)}}}:recent"


def usage_counter(client_key, now):
    """(name, period) of the day's counter for `counters.counters_add`, beside the throttle's own."""
    return counted_name(client_key, day_of(now)), DAY_SECONDS_KEPT


def refusal_note(client_key, *, reason, counted, entry, now=None):
    """Note one refusal of an existing client's request: one more for `reason` on the day (and under
    `COUNTED` when the throttle had counted it), and `entry` ({field: text} of `ENTRY_FIELDS` but
    `at` and `reason`) at the head of its recent refusals. One write; skipped (logged) when the store
    fails."""
    now = time.time() if now is None else now
    entry = {**{name: str(entry.get(name, "")) for name in ENTRY_FIELDS}, "at": int(now), "reason": reason}
    refused, recent = refused_name(client_key, day_of(now)), recent_name(client_key)
    fields = [reason] + ([COUNTED] if counted else [])
    try:
        if connection.in_use():
            with contextlib.suppress(connection.Unreachable):
                connection.call(lambda used: _note_in_redis(used, refused, recent, fields, entry), "usage",
                                optional=True)
            return
        with database_counters_locked([refused, recent]) as cache:
            counts = cache.get(refused) or {}
            for name in fields:
                counts[name] = counts.get(name, 0) + 1
            cache.set(refused, counts, DAY_SECONDS_KEPT)
            cache.set(recent, [entry, *(cache.get(recent) or [])][:RECENT_KEPT], RECENT_SECONDS)
    except DatabaseError as error:
        logger.warning("usage not recorded: %s", error.__class__.__name__)


def _note_in_redis(used, refused, recent, fields, entry):
    pipeline = used.pipeline(transaction=False)
    refused_key, recent_key = connection.key(refused), connection.key(recent)
    for name in fields:
        pipeline.hincrby(refused_key, name, 1)
    pipeline.expire(refused_key, DAY_SECONDS_KEPT)
    pipeline.lpush(recent_key, json.dumps(entry, separators=(",", ":")))
    pipeline.ltrim(recent_key, 0, RECENT_KEPT - 1)
    pipeline.expire(recent_key, RECENT_SECONDS)
    pipeline.execute()


@dataclass(frozen=True)
class DayUsage:
    day: str  # yyyymmdd, UTC
    counted: int = 0
    refused: dict = field(default_factory=dict)  # reason code -> count, `COUNTED` among them


@dataclass(frozen=True)
class Usage:
    days: list  # `DayUsage`, oldest first
    recent: list  # entries ({field: value} of `ENTRY_FIELDS`), newest first
    readable: bool = True  # False: Redis is configured and could not be read


def usage_read(client_key, *, days, now=None):
    """The app's last `days` days (today's included) and its refusals of the last `RECENT_SECONDS`,
    newest first. One round trip (or database read)."""
    now = time.time() if now is None else now
    today = datetime.fromtimestamp(now, UTC).date()
    wanted = [(today - timedelta(days=back)).strftime("%Y%m%d") for back in reversed(range(days))]
    counted = [counted_name(client_key, day) for day in wanted]
    refused = [refused_name(client_key, day) for day in wanted]
    recent = recent_name(client_key)
    readable = True
    if connection.in_use():
        try:
            counts, refusals, entries = connection.call(
                lambda used: _read_from_redis(used, counted, refused, recent), "usage", optional=True)
        except connection.Unreachable:
            counts, refusals, entries, readable = [None] * days, [{}] * days, [], False
    else:
        stored = caches[DATABASE_CACHE].get_many([*counted, *refused, recent])
        counts = [stored.get(name) for name in counted]
        refusals = [stored.get(name) or {} for name in refused]
        entries = stored.get(recent) or []
    since = now - RECENT_SECONDS
    return Usage(
        days=[DayUsage(day=day, counted=int(count or 0), refused={str(k): int(v) for k, v in refusal.items()})
              for day, count, refusal in zip(wanted, counts, refusals, strict=True)],
        recent=[entry for entry in entries if entry.get("at", 0) >= since][:RECENT_KEPT],
        readable=readable,
    )


def _read_from_redis(used, counted, refused, recent):
    pipeline = used.pipeline(transaction=False)
    pipeline.execute_command("MGET", *[connection.key(name) for name in counted])  # one slot: one tag
    for name in refused:
        pipeline.hgetall(connection.key(name))
    pipeline.lrange(connection.key(recent), 0, RECENT_KEPT - 1)
    answers = pipeline.execute()
    refusals = [{key.decode(): value for key, value in answer.items()} for answer in answers[1:-1]]
    entries = []
    for stored in answers[-1]:
        with contextlib.suppress(ValueError):
            entries.append(json.loads(stored))
    return answers[0], refusals, entries
