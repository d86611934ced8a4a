"""Counters in fixed windows (rate limits, failed sign-ins, signups): counted in Redis, and in the
database when Redis is off or cannot be reached, so a limit never fails open.

Names carry their hash tag (`{...}`): counters judged together in one atomic step share one tag, so
they sit in one Cluster slot (an untagged name is a group of its own). A check-and-count over counters
of several tags is one atomic step per tag, taken back where a later one refuses: concurrent callers
on any worker still cannot pass a limit together.
"""
import contextlib
import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router, transaction
from django.utils import timezone

from access.metrics import STORE_FALLBACKS
from access.refusals import SharedStateUnavailable
from access.store import connection

DATABASE_CACHE = "database"
TAG = re.compile(r"\{([^}]*)\}")

# KEYS: the counters (one hash tag), then the list's key when there is a member to note. ARGV: the
# period, the list's member ("" for none), the limits. Counts one more for each counter when every one is
# below its limit (1), else nothing (0). The member is appended to the list (one member a line) when the
# first counter starts from zero.
CLAIM_SCRIPT = """
local n = #KEYS
if ARGV[2] ~= '' then n = n - 1 end
for i = 1, n do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2 + i]) then return 0 end
end
local first = false
for i = 1, n do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
  if i == 1 then first = count == 1 end
end
if ARGV[2] ~= '' and first then
  redis.call('APPEND', KEYS[n + 1], ARGV[2] .. '\\n')
  redis.call('EXPIRE', KEYS[n + 1], ARGV[1])
end
return 1
"""
# Takes back one from each counter that is still there and above zero.
RELEASE_SCRIPT = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 1
"""


def tag_of(name):
    """A name's hash tag ("" for none): the part of its key a Cluster places it by."""
    found = TAG.search(name)
    return found.group(1) if found else ""


def queue_add(round_trip, keys_with_periods):
    """Queue adding one to each (name, period) counter, made with its lifetime when new; a function of
    the answers that gives the new counts. Plain commands, each atomic on its own key."""
    pipeline = round_trip.pipeline
    first = len(pipeline)
    for name, period in keys_with_periods:
        key = connection.key(name)
        pipeline.set(key, 0, ex=period, nx=True)
        pipeline.incr(key)
    return lambda answers: [int(count) for count in answers[first + 1:first + 2 * len(keys_with_periods):2]]


def counters_add(keys_with_periods):
    """Add one to each (name, period) counter and return the new counts, in one round trip; a counter
    lives for its period. In the database when Redis is off or unreachable."""
    keys_with_periods = list(keys_with_periods)
    if connection.in_use():
        def add(used):
            round_trip = connection.RoundTrip(used)
            counts = queue_add(round_trip, keys_with_periods)
            return counts(round_trip.send())

        with contextlib.suppress(connection.Unreachable):
            return connection.call(add, "count")
        STORE_FALLBACKS.labels("count").inc()
    return [_database_increment(name, period) for name, period in keys_with_periods]


def counters_claim(limits, period, note=None):
    """One more on each counter of `limits` ({name: limit}) if every one is below its limit: where it
    was counted ("redis" or "database", for `counters_release`); else "", and nothing counted. Atomic
    per hash tag (see above). `note` (a name with the first counter's tag, a member: one line of text)
    is noted under that name for `noted_members` when the first counter starts. Counted in the
    database when Redis is off or unreachable (never fails open)."""
    names, (note_name, member) = list(limits), note or ("", "")
    member = member.replace("\n", " ")
    if connection.in_use():
        try:
            return "redis" if connection.call(lambda used: _claim_in_redis(used, limits, period, note_name, member),
                                              "claim") else ""
        except connection.Unreachable:
            STORE_FALLBACKS.labels("claim").inc()
    with database_counters_locked(names + ([note_name] if note_name else [])) as cache:
        counts = cache.get_many(names)
        if any(int(counts.get(name) or 0) >= limit for name, limit in limits.items()):
            return ""
        changes = {name: int(counts.get(name) or 0) + 1 for name in names}
        if note_name and changes[names[0]] == 1:
            changes[note_name] = (cache.get(note_name) or frozenset()) | {member}
        cache.set_many(changes, period)
        return "database"


def _claim_in_redis(used, limits, period, note_name, member):
    """Claim each hash tag's counters in one script call; take back the ones claimed when one refuses."""
    claimed = []
    for position, group in enumerate(_by_tag(limits.items(), lambda item: item[0])):
        noting = note_name if position == 0 and member else ""
        keys = [connection.key(name) for name, _ in group] + ([connection.key(noting)] if noting else [])
        if not used.eval(CLAIM_SCRIPT, len(keys), *keys, period, member if noting else "",
                         *[limit for _, limit in group]):
            for names in claimed:
                _release_in_redis(used, names)
            return False
        claimed.append([name for name, _ in group])
    return True


def _by_tag(items, name_of=str):
    """The items in groups of one hash tag each, the groups in the order their first items come."""
    groups = {}
    for item in items:
        name = name_of(item)
        groups.setdefault(tag_of(name) or name, []).append(item)  # an untagged name is a slot of its own
    return list(groups.values())


def _release_in_redis(used, names):
    keys = [connection.key(name) for name in names]
    used.eval(RELEASE_SCRIPT, len(keys), *keys)


def counters_release(names, period, claimed):
    """Take back one from each counter (a claim that turned out not to count), where `counters_claim`
    counted it (`claimed`); never below zero. When Redis took the claim and cannot be reached now, the
    claim stays counted: a limit errs on the side of counting."""
    names = list(names)
    if claimed == "redis":
        with contextlib.suppress(connection.Unreachable):
            connection.call(lambda used: [_release_in_redis(used, group) for group in _by_tag(names)],
                            "release")
        return
    with database_counters_locked(names) as cache:
        counts = cache.get_many(names)
        cache.set_many({name: count - 1 for name, count in counts.items() if int(count) > 0}, period)


def noted_members(name):
    """The members `counters_claim` noted under `name`, where the counts are read."""
    if connection.in_use():
        try:
            noted = connection.call(lambda used: used.get(connection.key(name)), "read") or b""
            return {member for member in noted.decode().split("\n") if member}
        except connection.Unreachable:
            STORE_FALLBACKS.labels("read").inc()
    return set(caches[DATABASE_CACHE].get(name) or ())


def counters_forget(names):
    """Drop counters (and noted members) everywhere they may be: Redis and the database (a staff action).

    Raises `SharedStateUnavailable` when Redis is configured and cannot be reached: it would still count."""
    names = list(names)
    if not names:
        return
    if connection.in_use():
        try:
            connection.call(lambda used: [used.delete(connection.key(name)) for name in names], "forget")
        except connection.Unreachable:
            raise SharedStateUnavailable(
                "The shared cache could not be reached, so nothing was cleared; try again.") from None
    caches[DATABASE_CACHE].delete_many(names)


def from_database(names):
    """{name: value} of what the database holds (counters and remembered values when Redis is not used)."""
    return caches[DATABASE_CACHE].get_many(names) if names else {}


def _database_increment(name, period):
    cache = caches[DATABASE_CACHE]
    if cache.add(name, 1, period):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, period)
        return 1


@contextlib.contextmanager
def database_counters_locked(names):
    """The database cache, with no other worker reading-then-writing these names until the block ends:
    SQLite's transactions take the write lock at BEGIN (IMMEDIATE, see settings), PostgreSQL takes an
    advisory lock per name (in one order, so two callers cannot wait on each other)."""
    cache = caches[DATABASE_CACHE]
    alias = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=alias):
        database = connections[alias]
        if database.vendor == "postgresql":
            locks = sorted({int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
                            for name in names})
            with database.cursor() as cursor:
                for lock in locks:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        yield cache


def database_cache_prune():
    """Delete the database cache's expired rows (it never culls: see settings), for `prune_expired`."""
    cache = caches[DATABASE_CACHE]
    database = connections[router.db_for_write(cache.cache_model_class)]
    table = settings.CACHES[DATABASE_CACHE]["LOCATION"]
    with database.cursor() as cursor:
        cursor.execute(f"DELETE FROM {database.ops.quote_name(table)} WHERE expires < %s",
                       [database.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))])
        return cursor.rowcount
