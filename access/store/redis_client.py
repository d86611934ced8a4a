"""The redis-py client for the configured Redis (one server, for now), built from the settings."""
import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry


def make_client():
    """A client for `REDIS_URL` (any URL redis-py reads), or None without one; no retries."""
    url = settings.REDIS_URL
    if not url:
        return None
    timeout = settings.SHARED_CACHE_TIMEOUT_SECONDS
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                retry=Retry(NoBackoff(), 0))
