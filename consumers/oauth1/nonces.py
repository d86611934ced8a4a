"""OAuth 1.0a's replay rule: a timestamp within the window, and each nonce accepted once per consumer
key, token and timestamp, everywhere.

The claim is one atomic step in the shared store (`access.shared_state.nonce_claim`), so two workers can
never both accept a nonce; a store that cannot be reached refuses the request (503).
"""
import hashlib
import time

from access.refusals import InvalidCredentials
from access.shared_state import nonce_claim

WINDOW_SECONDS = 600  # timestamps more than 10 minutes from our clock are refused
# Kept a little past the window so a host whose clock runs slightly behind cannot accept a replay.
CLOCK_SKEW_SECONDS = 60

STALE = "The timestamp is more than 10 minutes away from the server's clock."
REPLAYED = "This nonce was already used."
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
    return None if nonce_claim(*replay_guard(consumer_key=consumer_key, token=token, timestamp=timestamp,
                                             nonce=nonce)) else InvalidCredentials(REPLAYED)


def replay_guard(*, consumer_key, token, timestamp, nonce):
    """(kind, digest, seconds to keep it) under which the store claims this nonce: unique per consumer
    key, token and timestamp, kept until its timestamp can no longer pass the window check."""
    stamp = int(timestamp)
    digest = hashlib.sha256("\n".join((consumer_key, token or "", str(stamp), nonce)).encode()).hexdigest()
    return KIND, digest, int(stamp + WINDOW_SECONDS + CLOCK_SKEW_SECONDS - time.time()) + 1
