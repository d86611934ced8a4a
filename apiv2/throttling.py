"""Rate limits per client key and per account, counted in the shared cache so every worker sees one count.

Fixed windows counted with an atomic increment: both limits cost one round trip to Redis (a
pipeline), where DRF's sliding-log throttles cost a read and a write each and lose counts under
concurrency. The tightest limit is noted on the request for the `X-RateLimit-*` headers.
"""
import math
import time

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from apiproject.shared_cache import increment_counters

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
        counts = increment_counters(keys)
        if counts is None:
            return True  # the shared cache is down: serve rather than refuse everyone
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


def rate_limit_headers(request):
    """`X-RateLimit-Limit/Remaining/Reset` (Reset in seconds since the epoch) for the tightest limit."""
    recorded = getattr(request, "rate_limit", None)
    if recorded is None:
        return {}
    limit, remaining, reset = recorded
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(math.ceil(reset))}
