"""Shared state that every worker and host must see alike: snapshots, counters and nonces.

Redis when `REDIS_URL` is set, else the database: this is the one module that knows which. Every Redis
call has a short timeout (`SHARED_CACHE_TIMEOUT_SECONDS`) and no retry. After a timeout, reads that only
save work skip Redis for a moment (per process), so a hung server costs a request about one timeout;
rules (counters, nonces, forgetting) always try it, so they work again the moment it answers.

- Remembered values save work that is dearer than a query (a verified password): in Redis, else in the
  database. Unreachable means a miss.
- Snapshots are copies of rows kept to save queries, so only in Redis: an unreachable Redis is a miss. Forgetting one is
  part of a state change: when that cannot be done it raises, the caller's transaction rolls back, and
  the change fails loudly instead of leaving the old state in force. A forgotten snapshot leaves a
  tombstone for a few seconds, so a request that read the old row just before the change cannot put
  it back.
- Counters (rate limits, failed sign-ins) fall back to the database when Redis is unreachable: a
  limit never fails open.
- Nonces are claimed in one atomic step (`SET NX`, or a unique row). With Redis configured but
  unreachable a nonce is refused, not claimed in the database: the database cannot know which nonces
  Redis holds, so falling back would accept replays.
"""
import contextlib
import hashlib
import logging
import os
import pickle
import random
import re
import threading
import time
from datetime import datetime, timezone as dt_timezone
from functools import lru_cache

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from access.redis_wire import Sent, Wire
from access.refusals import SharedStateUnavailable

logger = logging.getLogger(__name__)

TOMBSTONE = b"forgotten"
PICKLED = b"\x80"  # how every pickle (protocol 2 and later) starts; a tagged snapshot starts with its tag
TOMBSTONE_SECONDS = 10
PRUNE_PROBABILITY = 0.01  # database nonces are also pruned by `manage.py prune_expired`
SKIP_AFTER_TIMEOUT_SECONDS = 2.0
TAGS_REMEMBERED = 10_000  # snapshot tags kept per worker (`FetchAndClaim`, `fetch_by_tag`)
DATABASE_CACHE = "database"
# Each counter: add one, and start its lifetime when it is new; one command for all, atomic.
COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return counts
"""
class _Unreachable(Exception):
    pass


class _Redis:
    """This process's Redis client for `REDIS_URL`, made again when the setting changes (tests do)."""

    url = None
    client = None
    owed = []  # (name, period) increments this process sends with its next read (`counters_add_later`)
    skip_until = 0.0
    prefix = ""
    caches_setting = None  # the CACHES setting `prefix` was read from
    timeout = None
    local = threading.local()  # each thread's own connection for `_commands`: (client, `redis_wire.Wire`)
    tags = {}  # snapshot name -> the tag it was last seen with (`FetchAndClaim`, `fetch_by_tag`)

    @classmethod
    def remember_tag(cls, name, tag):
        if len(cls.tags) >= TAGS_REMEMBERED:
            cls.tags.clear()
        cls.tags[name] = tag

    @classmethod
    def get(cls):
        url = settings.REDIS_URL
        if not url:
            return None
        # Django's cache key layout (prefix, version 1), so a key reads the same through Django's cache
        # and test runs sharing one Redis keep apart by their prefix.
        caches_setting = settings.CACHES
        if caches_setting is not cls.caches_setting or url != cls.url:
            cls.prefix = f"{caches_setting['default'].get('KEY_PREFIX', '')}:1:"
            cls.caches_setting = caches_setting
        if url != cls.url:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            cls.timeout = timeout = getattr(settings, "SHARED_CACHE_TIMEOUT_SECONDS", 0.25)
            cls.client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                              retry=Retry(NoBackoff(), 0))
            cls.url, cls.skip_until = url, 0.0
        return cls.client


os.register_at_fork(after_in_child=lambda: setattr(_Redis, "local", threading.local()))  # no shared socket


def _command(client, *arguments):
    """One command, sent on this thread's own connection and answered (`_commands`)."""
    return _commands(client, [arguments])[0]


def _commands(client, commands):
    """Commands sent together on this thread's own connection, in one write, and their answers in order
    (`_send`, then `redis_wire.Sent.answers`)."""
    return _send(client, commands).answers()


def _send(client, commands):
    """Send commands in one write on this thread's own connection (`access.redis_wire`; through the
    client, its pool and its checks, a warm request's one round trip cost about three times the CPU the
    commands themselves do); their answers are read when asked for (`redis_wire.Sent.answers`), so work
    done in between overlaps the wait. Answers still unread from an earlier send are read first. Errors
    are the client's (`redis.RedisError`). Nothing to send sends nothing."""
    if not commands:
        return Sent(None, 0)
    pending = getattr(_Redis.local, "pending", None)
    if pending is not None:
        with contextlib.suppress(redis.RedisError):  # its reader gets the error, if it ever asks
            pending.answers()
    owner, wire = getattr(_Redis.local, "wire", (None, None))
    if owner is not client:
        if wire is not None:
            wire.close()
        wire = Wire(_Redis.url, _Redis.timeout)
        _Redis.local.wire = (client, wire)
    _Redis.local.pending = sent = wire.send(commands)
    return sent


_SCRIPT_SHAS = {}


def _script_command(client, script, keys, arguments=()):
    """Run a Lua script by its digest (EVALSHA), loading it once when the server does not know it."""
    sha = _SCRIPT_SHAS.get(script) or _SCRIPT_SHAS.setdefault(script, hashlib.sha1(script.encode()).hexdigest())
    try:
        return _command(client, "EVALSHA", sha, len(keys), *keys, *arguments)
    except redis.exceptions.NoScriptError:
        _command(client, "SCRIPT", "LOAD", script)
        return _command(client, "EVALSHA", sha, len(keys), *keys, *arguments)


def redis_in_use():
    """Is Redis the configured store? (Snapshots exist only then: the database is no faster than
    the query a snapshot saves.)"""
    return bool(settings.REDIS_URL)


def _redis_call(operation, what, optional=False):
    """Run `operation(client)`; `_Unreachable` when Redis fails, or for an `optional` call (one that
    only saves work) when Redis was found hung a moment ago."""
    client = _client(optional)
    try:
        return operation(client)
    except redis.RedisError as error:
        raise _unreachable(error, what) from None


def _client(optional=False):
    """This process's client; `_Unreachable` for an `optional` call while Redis is skipped after a timeout."""
    client = _Redis.get()
    if optional and time.monotonic() < _Redis.skip_until:
        raise _Unreachable()
    return client


def _unreachable(error, what):
    """The `_Unreachable` for a Redis error, said in the log; after a timeout, optional calls skip Redis
    for a while (`_redis_call`)."""
    if isinstance(error, redis.TimeoutError):
        _Redis.skip_until = time.monotonic() + SKIP_AFTER_TIMEOUT_SECONDS
        logger.warning("shared cache timed out on %s; using the fallback for %ss", what,
                       SKIP_AFTER_TIMEOUT_SECONDS)
    else:
        logger.warning("shared cache unreachable on %s: %s", what, error.__class__.__name__)
    return _Unreachable()


def _key(name):
    return _Redis.prefix + name


def _keys(names):
    """`_key` of each name, with no Python call per name (a warm read names up to a dozen)."""
    return map(_Redis.prefix.__add__, names)


# --- Reading: snapshots, remembered values and counters in one round trip ---------------------------


def _start(commands_of, optional=False):
    """Send the commands `commands_of()` lists (made once `_Redis.get` has set the keys' prefix); the
    `redis_wire.Sent` to read their answers from, or None when Redis cannot take them."""
    try:
        return _send(_client(optional), commands_of())
    except _Unreachable:
        return None
    except redis.RedisError as error:
        _unreachable(error, "read")
        return None


def _answers(sent):
    """The answers to a `_start`; `_Unreachable` when it was not sent or they do not come."""
    if sent is None:
        raise _Unreachable()
    try:
        return sent.answers()
    except redis.RedisError as error:
        raise _unreachable(error, "read") from None


def fetch(*, snapshots=(), remembered=(), counters=()):
    """{name: value} for what was found, read in one round trip (`fetch_start`, read at once)."""
    return fetch_start(snapshots=snapshots, remembered=remembered, counters=counters).found()


def fetch_start(*, snapshots=(), remembered=(), counters=()):
    """`fetch`'s round trip sent now, its answers read when asked for (`Fetch.found`): a caller that
    knows early what it will need starts the read then, and the work in between overlaps the wait."""
    return Fetch(snapshots, remembered, counters)


class Fetch:
    """One read of snapshots, remembered values and counters, which also carries the increments this
    process owes (`counters_add_later`), sent first so that the counts read include them.

    Snapshots are missing when Redis is off, unreachable or holds a tombstone; remembered values and
    counters are read from the database when Redis is off or unreachable.
    """

    def __init__(self, snapshots, remembered, counters):
        self.pickled = list(snapshots) + list(remembered)
        self.remembered, self.counters = list(remembered), list(counters)
        self.owed, self.sent, self.in_redis = [], None, redis_in_use()
        if self.in_redis:
            self.owed = _take_owed()
            names = self.pickled + self.counters
            self.sent = _start(lambda: _owed_commands(self.owed) + (
                [("MGET", *_keys(names))] if names else []), optional=True)  # MGET wants a name

    def found(self):
        """{name: value} for what was found."""
        if not self.in_redis:
            return _from_database(self.remembered + self.counters)
        try:
            answers = _answers(self.sent)
        except _Unreachable:
            _count_in_database(self.owed)
            return _from_database(self.remembered + self.counters)
        values = answers[-1] if self.pickled or self.counters else []
        found = {}
        for name, value in zip(self.pickled, values, strict=False):
            snapshot, _ = _snapshot_and_tag(value)
            if snapshot is not None:
                found[name] = snapshot
        for name, value in zip(self.counters, values[len(self.pickled):], strict=True):
            if value is not None:
                found[name] = int(value)
        return found


def _from_database(names):
    return caches[DATABASE_CACHE].get_many(names) if names else {}


def remember(name, value, seconds):
    """Keep a value that saves dear work; best effort."""
    if redis_in_use():
        try:
            _redis_call(lambda client: client.set(_key(name), pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
                                                  ex=seconds), "remember", optional=True)
            return
        except _Unreachable:
            pass
    caches[DATABASE_CACHE].set(name, value, seconds)


def discard(names):
    """Drop remembered values a reader found stale; best effort (they are checked again anyway)."""
    if not names:
        return
    if redis_in_use():
        try:
            _redis_call(lambda client: client.delete(*[_key(name) for name in names]), "discard", optional=True)
            return
        except _Unreachable:
            pass
    caches[DATABASE_CACHE].delete_many(names)


def snapshot_keep(name, value, seconds, tag=""):
    """Keep a snapshot unless one is there already (a tombstone included); best effort. A `tag` (a
    short word without "|") is kept readable in front of it, for `FetchAndClaim` to name a counter by."""
    if not redis_in_use():
        return
    stored = (f"{tag}|".encode() if tag else b"") + pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(_Unreachable):
        _redis_call(lambda client: client.set(_key(name), stored, ex=seconds, nx=True), "keep", optional=True)


def _snapshot_and_tag(value):
    """(the snapshot, its tag or None) from a stored value; (None, None) for none or a tombstone.

    The same stored bytes give the same objects again, unpickled once per worker: a warm request reads
    the bytes it read before. Snapshots are copies of rows, read and never saved, so sharing them between
    requests is safe; a changed row is stored anew, as other bytes."""
    if value is None or value == TOMBSTONE:
        return None, None
    return _unpickled(value)


@lru_cache(maxsize=1000)
def _unpickled(value):
    if value[:1] == PICKLED:
        return pickle.loads(value), None
    tag, _, pickled = value.partition(b"|")
    return pickle.loads(pickled), tag.decode()


def snapshots_forget(names):
    """Forget snapshots because their rows change: now, and again once the transaction commits.

    Raises `SharedStateUnavailable` when Redis cannot be reached, so the change (in a transaction)
    fails rather than leaving the old state in force for the snapshots' lifetime.
    """
    names = list(names)
    if not names or not redis_in_use():
        return

    def bury(client):
        pipeline = client.pipeline(transaction=False)
        for name in names:
            pipeline.set(_key(name), TOMBSTONE, ex=TOMBSTONE_SECONDS)
        pipeline.execute()

    try:
        _redis_call(bury, "forget")
    except _Unreachable:
        raise SharedStateUnavailable(
            "The shared cache could not be reached, so the change was not made; try again."
        ) from None

    def bury_again():
        try:
            _redis_call(bury, "forget")
        except _Unreachable:
            logger.error("shared cache unreachable after a commit: %d snapshot(s) may stay buried", len(names))

    transaction.on_commit(bury_again)


# --- Counters -----------------------------------------------------------------------------------------


def counters_add(keys_with_periods):
    """Add one to each (name, period) counter and return the new counts; a counter lives for its period.

    Redis: atomic increments, all in one round trip. Otherwise (or when it is unreachable) the
    database cache: a read and a write each, close enough for limits.
    """
    keys_with_periods = list(keys_with_periods)
    if redis_in_use():
        def increment(client):
            return _script_command(client, COUNT_SCRIPT, [_key(name) for name, _ in keys_with_periods],
                                   [period for _, period in keys_with_periods])

        try:
            return _redis_call(increment, "count")
        except _Unreachable:
            pass
    return _count_in_database(keys_with_periods)


def _owed_commands(owed):
    """The commands that add the owed increments, before a read in the same write (`_commands`): each
    counter made with its lifetime if new (`SET NX EX`), then one added. Plain commands, not a script:
    on a server whose caches are cold, as between two requests, a script's call costs the server more
    than the commands in it."""
    commands = []
    for name, period in owed:
        key = _key(name)
        commands += [("SET", key, 0, "EX", period, "NX"), ("INCR", key)]
    return commands


def _take_owed():
    """The increments this process owes, handed to the read that sends them."""
    owed = _Redis.owed[:]
    del _Redis.owed[:]
    return owed


def _count_in_database(keys_with_periods):
    """Where counts go when Redis cannot take them: never lost, counted where they are read meanwhile."""
    return [_database_increment(name, period) for name, period in keys_with_periods]


def counters_add_later(keys_with_periods):
    """Add one to each (name, period) counter with this process's next read (`fetch`), so that counting
    a request costs no round trip of its own; a caller that read the counts decides with them plus
    one. Until then other workers see the count lower by this process's owed increments (at most a
    request's worth). Without Redis they are added now, in the database."""
    if redis_in_use():
        _Redis.owed.extend(keys_with_periods)
        return
    _count_in_database(keys_with_periods)


def _database_increment(name, period):
    cache = caches[DATABASE_CACHE]
    if cache.add(name, 1, period):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, period)
        return 1


# --- Nonces -------------------------------------------------------------------------------------------


def nonce_claim(kind, digest, seconds):
    """True when this nonce digest (a fixed-length hash) of a `kind` ("oauth1-nonce") was not seen in the
    last `seconds`, and is now recorded; else False.

    Raises `SharedStateUnavailable` when the store cannot be reached: a nonce is never accepted unchecked.
    """
    if redis_in_use():
        try:
            return bool(_redis_call(lambda client: client.set(_key(f"{kind}:{digest}"), 1, ex=seconds, nx=True),
                                    "nonce"))
        except _Unreachable:
            raise SharedStateUnavailable() from None
    from access.models import Nonce

    expires_at = datetime.fromtimestamp(time.time() + seconds, tz=dt_timezone.utc)
    try:
        with transaction.atomic():
            Nonce.objects.create(digest=digest, expires_at=expires_at)
    except IntegrityError:
        return False
    except DatabaseError as error:
        logger.error("nonce store (database) unreachable: %s", error.__class__.__name__)
        raise SharedStateUnavailable() from None
    if random.random() < PRUNE_PROBABILITY:
        nonces_prune()
    return True


def fetch_and_claim_start(*, snapshots, counters, tagged_counter, nonce):
    """A signed request's one round trip sent now, its answers read when asked for (`FetchAndClaim.result`)."""
    return FetchAndClaim(snapshots, counters, tagged_counter, nonce)


class FetchAndClaim:
    """`fetch` for a signed request, and its nonce claimed, in one round trip on Redis.

    `tagged_counter` is (a snapshot's name, a counter name with "{tag}" in it): that counter, named
    after the snapshot's tag (the account a token acts for), is read too once this process has seen
    the snapshot's tag; until then, or when the tag has changed, it is left out (the caller counts it
    itself). `nonce` is (kind, digest, seconds), claimed before the signature is checked: release it
    (`release`) if the request turns out bad, so strangers leave nothing behind.
    """

    def __init__(self, snapshots, counters, tagged_counter, nonce):
        self.snapshots, self.counters, self.nonce = list(snapshots), list(counters), nonce
        self.owed, self.sent, self.read, self.in_redis = [], None, None, redis_in_use()
        if not self.in_redis:
            return
        self.owed = _take_owed()
        kind, digest, seconds = nonce
        self.tagged_name, template = tagged_counter or (None, None)
        self.guessed = _Redis.tags.get(self.tagged_name) if template else None
        self.tagged = [template.format(tag=self.guessed)] if self.guessed is not None else []
        names = self.snapshots + self.counters + self.tagged
        self.sent = _start(lambda: _owed_commands(self.owed) + [
            ("MGET", *_keys(names)), ("SET", _key(f"{kind}:{digest}"), 1, "EX", seconds, "NX")])

    def release(self):
        """Give the nonce back if this read claimed it (the request turned out bad, or no scheme took it up)."""
        with contextlib.suppress(SharedStateUnavailable):
            if self.result()[1]:
                nonce_release(*self.nonce[:2])

    def result(self):
        """(found, fresh). Without Redis nothing is read or claimed: `fresh` is None (claim the nonce with
        `nonce_claim` once the request is good; count with `counters_add`)."""
        if self.read is None:
            self.read = self._read()
        return self.read

    def _read(self):
        if not self.in_redis:
            return {}, None
        try:
            values, claimed = _answers(self.sent)[-2:]
        except _Unreachable:
            _count_in_database(self.owed)
            raise SharedStateUnavailable() from None  # the nonce cannot be claimed anywhere else
        found, confirmed = {}, False
        for name, value in zip(self.snapshots, values, strict=False):
            snapshot, tag = _snapshot_and_tag(value)
            if snapshot is None:
                continue
            found[name] = snapshot
            if name == self.tagged_name and tag is not None:
                confirmed = tag == self.guessed
                if not confirmed:
                    _Redis.remember_tag(name, tag)
        for name, value in zip(self.counters, values[len(self.snapshots):], strict=False):
            if value is not None:
                found[name] = int(value)
        if confirmed:  # else the counter read, if any, may be another account's: the caller counts
            found[self.tagged[0]] = int(values[-1] or 0)
        return found, claimed is not None


def nonce_release(kind, digest):
    """Forget a nonce claimed for a request that turned out bad (`FetchAndClaim`)."""
    if redis_in_use():
        with contextlib.suppress(_Unreachable):
            _redis_call(lambda client: client.delete(_key(f"{kind}:{digest}")), "nonce")


def nonces_load(kind, digests, seconds):
    """Record many nonces at once, in batches (for loading a store to measure it: `make bench`)."""
    from access.models import Nonce

    digests = list(digests)
    if redis_in_use():
        def load(client):
            pipeline = client.pipeline(transaction=False)
            for digest in digests:
                pipeline.set(_key(f"{kind}:{digest}"), 1, ex=seconds)
            pipeline.execute()

        _redis_call(load, "load")
        return
    expires_at = timezone.now() + timezone.timedelta(seconds=seconds)
    Nonce.objects.bulk_create(Nonce(digest=digest, expires_at=expires_at) for digest in digests)


def nonces_prune():
    """Forget database nonces whose timestamps can no longer pass the window check anyway."""
    from access.models import Nonce

    return Nonce.objects.filter(expires_at__lt=timezone.now()).delete()[0]


# --- Health -------------------------------------------------------------------------------------------


def reachable():
    """Can the store be used right now? (for `/v2/status`)"""
    if redis_in_use():
        try:
            return bool(_redis_call(lambda client: client.ping(), "ping"))
        except _Unreachable:
            return False
    try:
        cache = caches[DATABASE_CACHE]
        cache.set("status-probe", "1", 5)
        return cache.get("status-probe") == "1"
    except DatabaseError:
        return False


# --- Counters under a limit (failed sign-ins, signups): check and count in one atomic step ------------

# KEYS: the counters, then a list (or "" for none). ARGV: the period, the list's member, the limits.
# Counts one more for each counter when every one is below its limit (1), else counts nothing (0). The
# member is appended to the list (a string, one member a line) when the first counter starts from zero.
CLAIM_SCRIPT = """
local n = #KEYS - 1
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


def counters_claim(limits, period, note=None):
    """One more on each counter of `limits` ({name: limit}) if every one is below its limit: where it
    was counted ("redis" or "database", for `counters_release`); else "", and nothing counted. One
    atomic step, so concurrent callers on any worker cannot together pass a limit. `note` (a name, a
    member: one line of text) is noted under that name for `noted_members` when the first counter
    starts. Counted in the database when Redis is off or unreachable (never fails open)."""
    names, note_name, member = list(limits), *(note or ("", ""))
    member = member.replace("\n", " ")
    if redis_in_use():
        def claim(client):
            keys = [_key(name) for name in names] + [_key(note_name) if note_name else ""]
            return _script_command(client, CLAIM_SCRIPT, keys, [period, member, *limits.values()])

        try:
            return "redis" if _redis_call(claim, "claim") else ""
        except _Unreachable:
            pass
    with _database_counters_locked(names + ([note_name] if note_name else [])) as cache:
        counts = cache.get_many(names)
        if any(int(counts.get(name) or 0) >= limit for name, limit in limits.items()):
            return ""
        changes = {name: int(counts.get(name) or 0) + 1 for name in names}
        if note_name and changes[names[0]] == 1:
            changes[note_name] = (cache.get(note_name) or frozenset()) | {member}
        cache.set_many(changes, period)
        return "database"


def counters_release(names, period, claimed):
    """Take back one from each counter (a claim that turned out not to count), where `counters_claim`
    counted it (`claimed`); never below zero. When Redis took the claim and cannot be reached now, the
    claim stays counted: a limit errs on the side of counting."""
    names = list(names)
    if claimed == "redis":
        with contextlib.suppress(_Unreachable):
            _redis_call(lambda client: _script_command(client, RELEASE_SCRIPT, [_key(name) for name in names]),
                        "release")
        return
    with _database_counters_locked(names) as cache:
        counts = cache.get_many(names)
        cache.set_many({name: count - 1 for name, count in counts.items() if int(count) > 0}, period)


def noted_members(name):
    """The members `counters_claim` noted under `name`, where the counts are read (as `fetch` does)."""
    if redis_in_use():
        try:
            noted = _redis_call(lambda client: client.get(_key(name)), "read") or b""
            return {member for member in noted.decode().split("\n") if member}
        except _Unreachable:
            pass
    return set(caches[DATABASE_CACHE].get(name) or ())


def counters_forget(names):
    """Drop counters (and noted members) everywhere they may be: Redis and the database (a staff action).

    Raises `SharedStateUnavailable` when Redis is configured and cannot be reached: it would still count."""
    names = list(names)
    if not names:
        return
    if redis_in_use():
        try:
            _redis_call(lambda client: client.delete(*[_key(name) for name in names]), "forget")
        except _Unreachable:
            raise SharedStateUnavailable(
                "The shared cache could not be reached, so nothing was cleared; try again.") from None
    caches[DATABASE_CACHE].delete_many(names)


@contextlib.contextmanager
def _database_counters_locked(names):
    """The database cache, with no other worker reading-then-writing these names until the block ends:
    SQLite's transactions take the write lock at BEGIN (IMMEDIATE, see settings), PostgreSQL takes an
    advisory lock per name (in one order, so two callers cannot wait on each other)."""
    from django.db import connections, router

    cache = caches[DATABASE_CACHE]
    alias = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            locks = sorted({int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
                            for name in names})
            with connection.cursor() as cursor:
                for lock in locks:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        yield cache


def database_cache_prune():
    """Delete the database cache's expired rows (it never culls: see settings), for `prune_expired`."""
    from django.db import connections, router

    cache = caches[DATABASE_CACHE]
    connection = connections[router.db_for_write(cache.cache_model_class)]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(cache._table)} WHERE expires < %s",
                       [connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))])
        return cursor.rowcount
# --- Reading by a snapshot's tag: a credential known only by itself (a Bearer token) -------------------

_TAG_PART = re.compile(r"\{(\d)\}")


def fetch_by_tag(*, snapshot, tagged_snapshots=(), tagged_counters=()):
    """`fetch` for a credential whose own snapshot says what else to read: the snapshot, and the snapshots
    and counters named after the parts of its tag (`snapshot_keep(tag="a,b,c")`; a name holds {1},
    {2}... for them), read with the increments this process owes. One round trip once this process has
    seen the snapshot's tag (as `FetchAndClaim` guesses an account's counter): plain commands, which
    cost the server less than a script that reads the tag and then what it names. The first time, or
    when the tag has changed, a second round trip reads what the tag names.

    Returns (found, names): `names` maps each given name to the one it stood for (empty when the
    snapshot was missing or untagged), `found` holds the values under the real names (counters 0 when
    absent). Without Redis, or when it cannot be reached, nothing is read: ({}, {}).
    """
    templates = list(tagged_snapshots) + list(tagged_counters)
    if not redis_in_use():
        return {}, {}
    owed = _take_owed()
    guessed = _Redis.tags.get(snapshot)
    names = _named_by_tag(templates, guessed) if guessed is not None else {}
    try:
        values = _redis_call(lambda client: _commands(client, _owed_commands(owed) + [
            ("MGET", _key(snapshot), *_keys(names.values()))]), "read", optional=True)[-1]
    except _Unreachable:
        _count_in_database(owed)
        return {}, {}
    found = {}
    value, tag = _snapshot_and_tag(values[0])
    if value is not None:
        found[snapshot] = value
    if not tag:
        return found, {}
    if tag != guessed:
        _Redis.remember_tag(snapshot, tag)
        names = _named_by_tag(templates, tag)
        try:
            values = [values[0], *(_redis_call(lambda client: _command(client, "MGET", *_keys(names.values())),
                                               "read", optional=True) if names else [])]
        except _Unreachable:
            return found, {}
    for (template, name), stored in zip(names.items(), values[1:], strict=True):
        if template in tagged_counters:
            found[name] = int(stored or 0)
        else:
            kept, _ = _snapshot_and_tag(stored)
            if kept is not None:
                found[name] = kept
    return found, names


def _named_by_tag(templates, tag):
    """{template: the name it stands for}, {1}, {2}... filled in from the tag's parts (split at ",")."""
    parts = tag.split(",")
    return {template: _TAG_PART.sub(lambda match: parts[int(match.group(1)) - 1]
                                    if int(match.group(1)) <= len(parts) else match.group(0), template)
            for template in templates}
