"""Rate limits per client key and per account, counted in the shared store so every worker sees one count.

Fixed windows. Counted only once the credentials are verified and the request has passed the gate and
its scope check, so a stranger cannot spend someone else's budget; and at no round trip of its own
where the scheme can help: it reads the counts with the credentials (`RateCounts`), and the increment
travels with the worker's next read (`counters_add_later`). The tightest limit is noted on the request
for the `X-RateLimit-*` headers. An account is counted by its name (`access.credentials.account_name`).
"""
import math
import time

from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from access.credentials import account_name, client_key_name
from access.shared_state import counters_add, counters_add_later
from access.windows import per_second, rate_parts

SCOPES = ("client_key", "account")


class ApiRateThrottle(BaseThrottle):
    """For the API views: the client key and the account of the verified credentials."""

    def __init__(self):
        self.wait_seconds = None

    def allow_request(self, request, view):
        read = getattr(request, "rate_read", None)  # read with the credentials (`RateCounts`)
        if read is not None:
            now, limits, counters, counts = read
            counters_add_later(counters)
            return self.judge(request, now, limits, counts)
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
    """A request's rate counters, read along with its credentials: their names go into the scheme's one
    read (`names`; `account_template` names the account's counter by a snapshot's tag where the
    account is not known before), the counts come out of it (`read_from`), and the throttle counts
    the request with the worker's next read."""

    def __init__(self, *, client_key, username=None):
        self.now = time.time()
        self.client_key, self.username = client_key, username
        self.limits, self.counters, self.names = _rate_counters(int(self.now), *_key_and_account(client_key, username))

    @property
    def account_template(self):
        """The account's counter name with "{tag}" for the account (OAuth 1.0a: known from the token's
        snapshot), or None without an account limit."""
        names = _rate_counters(int(self.now), None, "{tag}")[2]
        return names[0] if names else None

    def read_from(self, request, found, *, username):
        """Note the counts for the throttle, when every counter of this request was read."""
        if username == self.username:  # Basic: the names read are the ones wanted
            limits, counters = self.limits, self.counters
        else:
            limits, counters, _ = _rate_counters(int(self.now), *_key_and_account(self.client_key, username))
        if all(name in self.names or name in found for name, _ in counters):
            request.rate_read = (self.now, limits, counters, [int(found.get(name) or 0) + 1 for name, _ in counters])


def throttle_client_key(request, consumer):
    """For the OAuth token endpoints: count against the verified client key's budget, as the API does."""
    throttle = ApiRateThrottle()
    if not throttle.count(request, {"client_key": client_key_name(consumer.client_id)}):
        raise Throttled(wait=throttle.wait())


def _identities(credentials, user):
    consumer = getattr(credentials, "consumer", None)
    return {
        "client_key": client_key_name(consumer.client_id) if consumer is not None else None,
        "account": account_name(user.get_username()) if user is not None and user.is_authenticated else None,
    }


def _counter_names(now, limits):
    return [(f"throttle:{scope}:{ident}:{int(now // period)}", period) for scope, ident, _, period in limits]


@per_second
def _rate_counters(second, client_key_id, account_id):
    """(limits, ((counter name, period), ...), (counter name, ...)) in this second for a client key and an
    account as counters name them (`_key_and_account`, or a tag's parts such as "{2}"; None: not counted),
    as tuples: the same ones serve every request that names them within the second."""
    limits = tuple(_limits_for({"client_key": client_key_id, "account": account_id}))
    counters = tuple(_counter_names(second, limits))
    return limits, counters, tuple(name for name, _ in counters)


def _key_and_account(client_key, username):
    """A client key's and an account's names in counters (no account without a username)."""
    return client_key_name(client_key), account_name(username) if username else None


def _limits_for(identities):
    """(scope, identity, requests allowed, period in seconds) for each configured limit that applies."""
    rates = api_settings.DEFAULT_THROTTLE_RATES  # read at call time, so a settings change applies at once
    for scope in SCOPES:
        rate = rates.get(scope)
        if rate and identities.get(scope) is not None:
            allowed, period = rate_parts(rate)
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


class TaggedRateCounts(RateCounts):
    """`RateCounts` for a scheme that learns the client key and the account only from its credential's
    snapshot (Bearer): `names` stand for the tag's parts ("{2}", "{3}"; see
    `access.shared_state.fetch_by_tag`) until `read_from` is given what they stood for."""

    account_template = None

    def __init__(self, *, client_key_part, account_part):
        self.now = time.time()
        self.client_key = self.username = None
        self.names = _rate_counters(int(self.now), client_key_part, account_part)[2]

    def read_from(self, request, found, *, username, client_key=None, names=None):
        self.client_key = client_key
        self.names = [(names or {}).get(name, name) for name in self.names]
        super().read_from(request, found, username=username)
