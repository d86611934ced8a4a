"""Rate limits per client key and per account, counted in the shared cache so every worker sees one count.

Fixed windows counted with an atomic increment: both limits cost one round trip to Redis (a
pipeline), where DRF's sliding-log throttles cost a read and a write each and lose counts under
concurrency. The tightest limit is noted on the request for the `X-RateLimit-*` headers.
"""
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

SCOPES = ("client_key", "account")


class ApiRateThrottle(BaseThrottle):
    def __init__(self):
        self.wait_seconds = None

    def allow_request(self, request, view):
        now = time.time()
        limits = list(_limits_for(request))
        if not limits:
            return True
        keys = [(f"throttle:{scope}:{ident}:{int(now // period)}", period) for scope, ident, _, period in limits]
        counts = hit_counters(keys)
        tightest, exceeded_resets = None, []
        for (scope, ident, allowed, period), count in zip(limits, counts):
            reset = (int(now // period) + 1) * period
            remaining = max(0, allowed - count)
            if tightest is None or remaining < tightest[1]:
                tightest = (allowed, remaining, reset)
            if count > allowed:
                exceeded_resets.append(reset)
        request.rate_limit = tightest
        if exceeded_resets:
            self.wait_seconds = max(exceeded_resets) - now
            return False
        return True

    def wait(self):
        return self.wait_seconds


def _limits_for(request):
    """(scope, identity, requests allowed, period in seconds) for each configured limit that applies."""
    consumer = getattr(request.auth, "consumer", None)
    user = getattr(request, "user", None)
    identities = {
        "client_key": consumer.client_id if consumer is not None else None,
        "account": user.pk if user is not None and user.is_authenticated else None,
    }
    rates = api_settings.DEFAULT_THROTTLE_RATES  # read at call time, so a settings change applies at once
    for scope in SCOPES:
        rate = rates.get(scope)
        if rate and identities[scope] is not None:
            allowed, period = SimpleRateThrottle.parse_rate(None, rate)
            yield scope, identities[scope], allowed, period


def hit_counters(keys_with_periods):
    """Add one to each counter and return the new counts; a counter lives for its period."""
    if settings.REDIS_URL:
        client = cache._cache.get_client(write=True)  # Django's Redis backend; one pipelined round trip
        pipeline = client.pipeline(transaction=False)
        for key, period in keys_with_periods:
            full_key = cache.make_and_validate_key(key)
            pipeline.incr(full_key)
            pipeline.expire(full_key, period, nx=True)
        return pipeline.execute()[0::2]
    counts = []
    for key, period in keys_with_periods:
        if cache.add(key, 1, period):
            counts.append(1)
            continue
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, period)
            counts.append(1)
    return counts


def rate_limit_headers(request):
    """`X-RateLimit-Limit/Remaining/Reset` (Reset in seconds since the epoch) for the tightest limit."""
    recorded = getattr(request, "rate_limit", None)
    if recorded is None:
        return {}
    limit, remaining, reset = recorded
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(math.ceil(reset))}
