"""The replay store: each nonce is accepted once per consumer key, token and timestamp, everywhere.

A unique row in the database by default; `SET NX EX` in Redis when `REDIS_URL` is set. Either way
the check and the record are one atomic step, so two workers can never both accept a nonce. A store
that cannot be reached refuses the request (503): a nonce is never accepted unchecked.
"""
import hashlib
import logging
import random
import time
from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from apiv2.errors import CouldNotAuthenticate, ServiceUnavailable
from consumers.oauth1.models import Nonce

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 600  # timestamps more than 10 minutes from our clock are refused
# Kept a little past the window so a host whose clock runs slightly behind cannot accept a replay.
CLOCK_SKEW_SECONDS = 60
PRUNE_PROBABILITY = 0.01

STALE = "The timestamp is more than 10 minutes away from the server's clock."
REPLAYED = "This nonce was already used."


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
        return CouldNotAuthenticate(STALE)
    if abs(time.time() - stamp) > WINDOW_SECONDS:
        return CouldNotAuthenticate(STALE)
    return None


def nonce_record(*, consumer_key, token, timestamp, nonce):
    """Record the nonce of a request whose timestamp passed; None when fresh, else the replay refusal.

    The bridge calls this once the signature is known good, so only holders of a client's secret can
    add nonces: strangers with made-up keys cannot grow the store.
    """
    stamp = int(timestamp)
    digest = hashlib.sha256("\n".join((consumer_key, token or "", str(stamp), nonce)).encode()).hexdigest()
    keep_for = int(stamp + WINDOW_SECONDS + CLOCK_SKEW_SECONDS - time.time()) + 1
    store = _record_in_redis if settings.REDIS_URL else _record_in_database
    return None if store(digest, keep_for) else CouldNotAuthenticate(REPLAYED)


def _record_in_redis(digest, keep_for):
    from redis.exceptions import RedisError

    try:
        # Django's Redis backend implements add() as SET key value NX EX seconds.
        return caches["default"].add(f"oauth1-nonce:{digest}", 1, timeout=keep_for)
    except RedisError as error:
        logger.error("Nonce store (Redis) unreachable: %s", error.__class__.__name__)
        raise ServiceUnavailable() from None


def _record_in_database(digest, keep_for):
    expires_at = datetime.fromtimestamp(time.time() + keep_for, tz=dt_timezone.utc)
    try:
        with transaction.atomic():
            Nonce.objects.create(digest=digest, expires_at=expires_at)
    except IntegrityError:
        return False
    except DatabaseError as error:
        logger.error("Nonce store (database) unreachable: %s", error.__class__.__name__)
        raise ServiceUnavailable() from None
    if random.random() < PRUNE_PROBABILITY:
        nonces_prune()
    return True


def nonces_prune():
    """Forget nonces whose timestamps can no longer pass the window check anyway."""
    return Nonce.objects.filter(expires_at__lt=timezone.now()).delete()[0]
