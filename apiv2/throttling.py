"""Rate limits per client key and per account, counted in the shared store so every worker sees one count.

Fixed windows. Counted only once the credentials are verified, so a stranger cannot spend someone
else's budget, and at no round trip of their own where a scheme can help: Basic reads the counts with
the credentials and the increments travel with the worker's next read (`counters_add_later`); a signed
request's counts are added with its nonce, atomically. The tightest limit is noted on the request
for the `X-RateLimit-*` headers. An account is counted by its username.
"""
import hashlib
import math
import time

from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from access.refusals import InvalidCredentials
from access.shared_state import counters_add, counters_add_later, nonce_claim_and_count
from consumers.oauth1.nonces import REPLAYED

SCOPES = ("client_key", "account")


class ApiRateThrottle(BaseThrottle):
    """For the API views: the client key and the account of the verified credentials."""

    def __init__(self):
        self.wait_seconds = None

    def allow_request(self, request, view):
        counted = getattr(request, "rate_counted", None)  # counted with the nonce (`admit_with_nonce`)
        if counted is not None:
            return self.judge(request, *counted)
        read = getattr(request, "rate_read", None)  # read with the credentials (`RateCounts`)
        if read is not None:
            return read.count(self, request)
        return self.count(request, _identities(request.auth, getattr(request, "user", None)))

    def count(self, request, identities):
        """Count one request for each identity (scope -> identity or None); False past any limit."""
        now = time.time()
        limits = list(_limits_for(identities))
        if not limits:
            return True
        return self.judge(request, now, limits, counters_add(_counter_names(now, limits)))

    def judge(self, request, now, limits, counts):
        tightest, exceeded_resets = None, []
        for (_, _, allowed, period), count in zip(limits, counts, strict=True):
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


class RateCounts:
    """The rate counters of a client key and an account known before the credentials are verified
    (Basic): their names go into the scheme's one read (`names`), their counts come out of it
    (`read_from`), and the request is counted with the worker's next read (`count`)."""

    def __init__(self, *, client_key, username):
        self.now = time.time()
        self.limits = list(_limits_for({"client_key": client_key, "account": _account(username)}))
        self.names = [name for name, _ in _counter_names(self.now, self.limits)]

    def read_from(self, request, found):
        self.counts = [int(found.get(name) or 0) + 1 for name in self.names]
        request.rate_read = self

    def count(self, throttle, request):
        counters_add_later(_counter_names(self.now, self.limits))
        return throttle.judge(request, self.now, self.limits, self.counts)


def admit_with_nonce(request, user, credentials, replay_guard):
    """Claim a signed request's nonce and, on Redis, count its rate limits in the same round trip (the
    verdict waits for the throttle, after the scope check). `InvalidCredentials` for a replay."""
    now = time.time()
    limits = list(_limits_for(_identities(credentials, user)))
    fresh, counts = nonce_claim_and_count(*replay_guard, _counter_names(now, limits))
    if not fresh:
        raise InvalidCredentials(REPLAYED)
    if counts is not None:
        request.rate_counted = (now, limits, counts)


def _identities(credentials, user):
    consumer = getattr(credentials, "consumer", None)
    return {
        "client_key": consumer.client_id if consumer is not None else None,
        "account": _account(user.get_username()) if user is not None and user.is_authenticated else None,
    }


def _account(username):
    """An account's counter identity: its username, hashed (any characters may be in it)."""
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _counter_names(now, limits):
    return [(f"throttle:{scope}:{ident}:{int(now // period)}", period) for scope, ident, _, period in limits]


def throttle_client_key(request, consumer):
    """For the OAuth token endpoints: count against the verified client key's budget, as the API does."""
    throttle = ApiRateThrottle()
    if not throttle.count(request, {"client_key": consumer.client_id}):
        raise Throttled(wait=throttle.wait())


def _limits_for(identities):
    """(scope, identity, requests allowed, period in seconds) for each configured limit that applies."""
    rates = api_settings.DEFAULT_THROTTLE_RATES  # read at call time, so a settings change applies at once
    for scope in SCOPES:
        rate = rates.get(scope)
        if rate and identities.get(scope) is not None:
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


class RateLimitHeadersMixin:
    """Every answer tells the client where it stands against its rate limits."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in rate_limit_headers(request).items():
            response[name] = value
        return response
