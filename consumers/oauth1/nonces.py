"""OAuth 1.0a's replay rule: a timestamp within the window, and each nonce accepted once per consumer
key, token and timestamp, everywhere.

The claim is one atomic step in the shared store (`access.store.nonces`), so two workers can never both
accept a nonce; a store that cannot be reached refuses the request (503), and a request signed before
the store last lost its memory (a Redis restart or failover) is refused rather than replayable.
"""
import hashlib
import time

from access.credentials import client_tag
from access.metrics import NONCE_REPLAYS
from access.refusals import InvalidCredentials
from access.store.nonces import FRESH, REPLAYED as CLAIMED_BEFORE, ReplayGuard, nonce_claim, nonce_seen

WINDOW_SECONDS = 600  # timestamps more than 10 minutes from our clock are refused
# Kept a little past the window so a host whose clock runs slightly behind cannot accept a replay.
CLOCK_SKEW_SECONDS = 60

STALE = "The timestamp is more than 10 minutes away from the server's clock."
REPLAYED = "This nonce was already used."
FORGOTTEN = "The timestamp is older than the server's record of used nonces; sign the request again."
KIND = "oauth1-nonce"


def nonce_use(*, consumer_key, token, timestamp, nonce):
    """Record the nonce; None when it is fresh, else the refusal (stale timestamp or replay)."""
    return timestamp_refusal(timestamp) or nonce_record(
        consumer_key=consumer_key, token=token, timestamp=timestamp, nonce=nonce
    )


def timestamp_refusal(timestamp):
    """None when the timestamp is within the window, else the refusal. Checked before anything else."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return InvalidCredentials(STALE)
    if abs(time.time() - stamp) > WINDOW_SECONDS:
        return InvalidCredentials(STALE)
    return None


def nonce_record(*, consumer_key, token, timestamp, nonce):
    """Record the nonce of a request whose timestamp passed; None when fresh, else the replay refusal.

    Called once the signature is known good, so only holders of a client's secret can add nonces:
    strangers with made-up keys cannot grow the store.
    """
    return claim_refusal(nonce_claim(replay_guard(consumer_key=consumer_key, token=token, timestamp=timestamp,
                                                  nonce=nonce)))


def replay_refusal(*, consumer_key, token, timestamp, nonce):
    """The refusal a request would meet for a nonce already accepted, or None; asked of the same record
    under the same guard as `nonce_record` claims, without claiming (`access.store.nonces.nonce_seen`).
    `SharedStateUnavailable` when the store cannot be reached."""
    guard = replay_guard(consumer_key=consumer_key, token=token, timestamp=timestamp, nonce=nonce)
    return InvalidCredentials(REPLAYED) if nonce_seen(guard) else None


def claim_refusal(outcome):
    """None for a fresh nonce, else the refusal of a claim's outcome (`access.store.nonces`)."""
    if outcome == FRESH:
        return None
    NONCE_REPLAYS.labels("replayed" if outcome == CLAIMED_BEFORE else "forgotten").inc()
    return InvalidCredentials(REPLAYED if outcome == CLAIMED_BEFORE else FORGOTTEN)


def replay_guard(*, consumer_key, token, timestamp, nonce):
    """The `ReplayGuard` under which the store claims this nonce: unique per consumer key, token and
    timestamp, kept with the client's other state (its hash tag) until its timestamp can no longer pass
    the window check."""
    stamp = int(timestamp)
    digest = hashlib.sha256("\n".join((consumer_key, token or "", str(stamp), nonce)).encode()).hexdigest()
    return ReplayGuard(kind=KIND, group=client_tag(consumer_key), digest=digest, timestamp=stamp,
                       seconds=int(stamp + WINDOW_SECONDS + CLOCK_SKEW_SECONDS - time.time()) + 1)
