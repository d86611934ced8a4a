"""Rate limits per client key and per account, counted in the shared store so every worker sees one count.

Fixed windows. Counted only once the credentials are verified and the request has passed the gate and
its scope check, so a stranger cannot spend someone else's budget: the throttle adds one to each of
the request's counters in one round trip and judges by the counts it gets back. The tightest limit
it read is what the `X-RateLimit-*` headers say. An account is counted by its name
(`access.credentials.account_tag`), a client key by its own (`client_tag`): each counter sits in its
owner's hash slot.

On the API's views the same round trip also counts the request in its app's usage of the day
(`access.store.usage.usage_counter`, in the client key's slot), before the request is judged: the
app's page takes the refusals the throttle had counted (`counted_by_throttle`: a 429 past a limit, a
view's 404...) from it to tell how many were served. No round trip is added for it.
"""
import math
import time

from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from access.credentials import account_tag, client_tag
from access.metrics import RATE_LIMIT_REFUSALS
from access.store.counters import counters_add
from access.store.usage import usage_counter
from access.windows import rate_parts

SCOPES = ("client_key", "account")
RATE_LIMIT = "rate_limit"  # on the request: (limit, remaining, reset) of the tightest limit, for the headers


class ApiRateThrottle(BaseThrottle):
    """For the API views: the client key and the account of the verified credentials."""

    def __init__(self):
        self.wait_seconds = None

    def allow_request(self, request, view):
        consumer = getattr(request.auth, "consumer", None)
        return self.count(request, _identities(request.auth, getattr(request, "user", None)),
                          usage_of=consumer.client_id if consumer is not None else None)

    def count(self, request, identities, usage_of=None):
        """Count one request for each identity (scope -> its hash tag, or None); False past any limit.
        `usage_of`: the client key whose usage of the day counts it too, in the same round trip."""
        now = time.time()
        limits = list(_limits_for(identities))
        if not limits:
            return True
        usage = [usage_counter(usage_of, now)] if usage_of else []
        counts = counters_add([(f"throttle:{scope}:{{{tag}}}:{int(now // period)}", period)
                               for scope, tag, _, period in limits] + usage)
        tightest, exceeded_resets = None, []
        for (scope, _, allowed, period), count in zip(limits, counts[:len(limits)], strict=True):
            reset = (int(now // period) + 1) * period
            remaining = max(0, allowed - count)
            if tightest is None or remaining < tightest[1]:
                tightest = (allowed, remaining, reset)
            if count > allowed:
                exceeded_resets.append(reset)
                RATE_LIMIT_REFUSALS.labels(scope).inc()
        setattr(request, RATE_LIMIT, tightest)
        if exceeded_resets:
            self.wait_seconds = max(exceeded_resets) - now
            return False
        return True

    def wait(self):
        return self.wait_seconds


def throttle_client_key(request, consumer):
    """For the OAuth token endpoints: count against the verified client key's budget, as the API does."""
    throttle = ApiRateThrottle()
    if not throttle.count(request, {"client_key": client_tag(consumer.client_id)}):
        raise Throttled(wait=throttle.wait())


def _identities(credentials, user):
    consumer = getattr(credentials, "consumer", None)
    return {
        "client_key": client_tag(consumer.client_id) if consumer is not None else None,
        "account": account_tag(user.get_username()) if user is not None and user.is_authenticated else None,
    }


def _limits_for(identities):
    """(scope, identity, requests allowed, period in seconds) for each configured limit that applies."""
    rates = api_settings.DEFAULT_THROTTLE_RATES  # read at call time, so a settings change applies at once
    for scope in SCOPES:
        rate = rates.get(scope)
        if rate and identities.get(scope) is not None:
            allowed, period = rate_parts(rate)
            yield scope, identities[scope], allowed, period


def counted_by_throttle(response):
    """Did the throttle count the request this answers? Its headers are on every answer it counted,
    and on no other."""
    return "X-RateLimit-Limit" in response


def rate_limit_headers(request):
    """`X-RateLimit-Limit/Remaining/Reset` (Reset in seconds since the epoch) for the tightest limit."""
    recorded = getattr(request, RATE_LIMIT, None)
    if recorded is None:
        return {}
    limit, remaining, reset = recorded
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(math.ceil(reset))}


class RateLimitHeadersMixin:
    """Every answer tells the client where it stands against its rate limits."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in rate_limit_headers(request).items():
            response[name] = value
        return response
