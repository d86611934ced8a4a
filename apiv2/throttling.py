"""Rate limits per client key and per account, counted in the shared cache so every worker sees one count.

Each throttle notes its limit, what remains and when the window resets on the request; the views
turn the tightest of them into `X-RateLimit-*` headers.
"""
import time

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class RecordingRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read at call time (DRF binds rates at import), so a settings change applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if self.key is not None and self.rate is not None:
            self._record(request, allowed)
        return allowed

    def _record(self, request, allowed):
        remaining = max(0, self.num_requests - len(self.history)) if allowed else 0
        oldest = self.history[-1] if self.history else self.now
        reset = int(oldest + self.duration + 0.999)
        current = getattr(request, "rate_limit", None)
        if current is None or remaining < current[1]:
            request.rate_limit = (self.num_requests, remaining, reset)


class ClientKeyRateThrottle(RecordingRateThrottle):
    scope = "client_key"

    def get_cache_key(self, request, view):
        consumer = getattr(request.auth, "consumer", None)
        if consumer is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": consumer.client_id}


class AccountRateThrottle(RecordingRateThrottle):
    scope = "account"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def rate_limit_headers(request):
    """`X-RateLimit-Limit/Remaining/Reset` (Reset in seconds since the epoch) for the tightest limit."""
    recorded = getattr(request, "rate_limit", None)
    if recorded is None:
        return {}
    limit, remaining, reset = recorded
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(max(reset, int(time.time())))}
