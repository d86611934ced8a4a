"""A request's read of the shared store: snapshots, remembered values and counters in one round trip,
and for a signed request its nonce claimed in the same one.

Snapshots are missing when Redis is off, unreachable or holds a tombstone; remembered values and
counters are read from the database when Redis is off or unreachable.
"""
from access.metrics import STORE_FALLBACKS
from access.refusals import SharedStateUnavailable
from access.store import connection
from access.store.counters import from_database
from access.store.nonces import queue_claim
from access.store.remembered import read_value
from access.store.snapshots import decoded


def fetch(*, snapshots=(), remembered=(), counters=()):
    """{name: value} for what was found (a snapshot's data, a remembered value, a count)."""
    return _read(list(snapshots), list(remembered), list(counters), None)[0]


def fetch_and_claim(*, snapshots=(), counters=(), guard):
    """(found, outcome): `fetch`, and the nonce of `guard` (`nonces.ReplayGuard`) claimed in the same
    round trip (release it with `nonces.nonce_release` if the request turns out bad). Without Redis
    nothing is read nor claimed: outcome None (claim it with `nonces.nonce_claim` once the request is
    known good). Raises `SharedStateUnavailable` when Redis cannot be reached."""
    return _read(list(snapshots), [], list(counters), guard)


def _read(snapshots, remembered, counters, guard):
    if not connection.in_use():
        return from_database(remembered + counters), None
    names = snapshots + remembered + counters

    def read(used):
        round_trip = connection.RoundTrip(used)
        values = round_trip.get(names) if names else (lambda answers: [])
        outcome = queue_claim(round_trip, guard) if guard is not None else (lambda answers: None)
        answers = round_trip.send()
        return values(answers), outcome(answers)

    try:
        values, outcome = connection.call(read, "read", optional=guard is None)
    except connection.Unreachable:
        if guard is not None:
            raise SharedStateUnavailable() from None  # the nonce cannot be claimed anywhere else
        STORE_FALLBACKS.labels("read").inc()
        return from_database(remembered + counters), None
    found = {}
    for name, value in zip(snapshots, values, strict=False):
        data = decoded(value)
        if data is not None:
            found[name] = data
    for name, value in zip(remembered, values[len(snapshots):], strict=False):
        data = read_value(value)
        if data is not None:
            found[name] = data
    for name, value in zip(counters, values[len(snapshots) + len(remembered):], strict=True):
        if value is not None:
            found[name] = int(value)
    return found, outcome
