"""Nonces: each accepted once, everywhere, and never again after the store forgets them.

A nonce is claimed in one atomic step (a script in Redis, a unique row in the database). With Redis
configured but unreachable a nonce is refused, not claimed in the database: the database cannot know
which nonces Redis holds, so falling back would accept replays.

Redis may forget: a restart without persistence, or a failover to a replica that had not yet received
the latest claims. The claim script therefore also refuses any request whose timestamp is not later than
the moment this server began remembering: its start, or, when the group's mark was written by another
server (a replica promoted since), the moment this server first saw the group. Timestamps are whole
seconds, so a request signed in that very second is refused too: it may have come just before. The mark lives as long
as the group's longest nonce, so while it exists every claim it covers is known to it.
"""
import contextlib
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from access.refusals import SharedStateUnavailable
from access.store import connection

FRESH, REPLAYED, FORGOTTEN = "fresh", "replayed", "forgotten"
PRUNE_PROBABILITY = 0.01  # database nonces are also pruned by `manage.py prune_expired`

MARK_SECONDS = 3600  # longer than any nonce is kept (its timestamp's window, with the clock skew allowed)
# KEYS: the nonce, the group's mark. ARGV: the nonce's lifetime, the request's timestamp, the mark's.
# Answers 1 (claimed), 0 (already claimed) or -1 (the timestamp is not later than this server's memory).
CLAIM_SCRIPT = """
local info = redis.call('INFO', 'server')
local server = string.match(info, 'run_id:(%x+)')
local now = tonumber(redis.call('TIME')[1])
local since = now - tonumber(string.match(info, 'uptime_in_seconds:(%d+)'))
local mark = redis.call('GET', KEYS[2])
if mark then
  local marked_by, marked_since = string.match(mark, '^(%x+):(%d+)$')
  if marked_by == server then since = math.max(since, tonumber(marked_since)) else since = now end
end
redis.call('SET', KEYS[2], server .. ':' .. since, 'EX', ARGV[3])
if tonumber(ARGV[2]) <= since then return -1 end
if redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return 1 end
return 0
"""


@dataclass(frozen=True)
class ReplayGuard:
    """What a nonce is claimed under: its `kind` ("oauth1-nonce"), the `group` it belongs to (a client's
    name in the store: its hash tag), a fixed-length `digest`, how many `seconds` to keep it, and the
    request's `timestamp`."""

    kind: str
    group: str
    digest: str
    seconds: int
    timestamp: int

    @property
    def name(self):
        return f"{self.kind}:{{{self.group}}}:{self.digest}"

    @property
    def mark(self):
        return f"nonce-memory:{{{self.group}}}"


def queue_claim(round_trip, guard):
    """Queue the claim in a round trip; a function of the answers that gives FRESH, REPLAYED or FORGOTTEN."""
    position = len(round_trip.pipeline)
    round_trip.pipeline.execute_command("EVAL", CLAIM_SCRIPT, 2, connection.key(guard.name),
                                        connection.key(guard.mark), max(guard.seconds, 1), guard.timestamp,
                                        MARK_SECONDS)
    return lambda answers: _outcome(answers[position])


def _outcome(answer):
    return {1: FRESH, 0: REPLAYED}.get(int(answer), FORGOTTEN)


def nonce_claim(guard):
    """FRESH when this nonce was not seen and is now recorded, REPLAYED when it was, FORGOTTEN when its
    timestamp is older than the store's memory. Raises `SharedStateUnavailable` when the store cannot
    be reached: a nonce is never accepted unchecked."""
    if connection.in_use():
        def claim(used):
            round_trip = connection.RoundTrip(used)
            outcome = queue_claim(round_trip, guard)
            return outcome(round_trip.send())

        try:
            return connection.call(claim, "nonce")
        except connection.Unreachable:
            raise SharedStateUnavailable() from None
    from access.models import Nonce

    expires_at = datetime.fromtimestamp(time.time() + guard.seconds, tz=dt_timezone.utc)
    try:
        with transaction.atomic():
            Nonce.objects.create(digest=guard.digest, expires_at=expires_at)
    except IntegrityError:
        return REPLAYED
    except DatabaseError as error:
        connection.logger.error("nonce store (database) unreachable: %s", error.__class__.__name__)
        raise SharedStateUnavailable() from None
    if random.random() < PRUNE_PROBABILITY:
        nonces_prune()
    return FRESH


def nonce_seen(guard):
    """Whether the nonce of `guard` was claimed already, asked without claiming it: a look, for a page that
    says what the server would answer (the signature debugger), which must leave the nonce to the request
    sent for real. The same record the claim consults (the key in Redis, the unique row in the database:
    a row not yet pruned refuses a claim, so it counts here too). Raises `SharedStateUnavailable` when the
    store cannot be reached, as a claim does."""
    if connection.in_use():
        try:
            return bool(connection.call(lambda used: used.exists(connection.key(guard.name)), "nonce"))
        except connection.Unreachable:
            raise SharedStateUnavailable() from None
    from access.models import Nonce

    try:
        return Nonce.objects.filter(digest=guard.digest).exists()
    except DatabaseError as error:
        connection.logger.error("nonce store (database) unreachable: %s", error.__class__.__name__)
        raise SharedStateUnavailable() from None


def nonce_release(guard):
    """Forget a nonce claimed for a request that turned out bad, so strangers leave nothing behind."""
    if connection.in_use():
        with contextlib.suppress(connection.Unreachable):
            connection.call(lambda used: used.delete(connection.key(guard.name)), "nonce")


def nonces_load(guards):
    """Record many nonces at once (for loading a store to measure it: `make bench`)."""
    from access.models import Nonce

    guards = list(guards)
    if connection.in_use():
        def load(used):
            pipeline = used.pipeline(transaction=False)
            for guard in guards:
                pipeline.set(connection.key(guard.name), 1, ex=guard.seconds)
            pipeline.execute()

        connection.call(load, "load")
        return
    Nonce.objects.bulk_create(Nonce(digest=guard.digest, expires_at=timezone.now()
                                    + timezone.timedelta(seconds=guard.seconds)) for guard in guards)


def nonces_prune():
    """Forget database nonces whose timestamps can no longer pass the window check anyway."""
    from access.models import Nonce

    return Nonce.objects.filter(expires_at__lt=timezone.now()).delete()[0]
