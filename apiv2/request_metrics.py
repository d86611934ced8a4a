"""Counts every answer in the metrics (`access.metrics`): by route group, scheme, outcome and reason code,
its latency by route group, and the access tokens the token endpoints hand out by grant type. An API
refusal is also noted on the app its credentials named (`apiv2.refusals_noted`), with the same scheme
and reason code.

Outermost in MIDDLEWARE, so the time is the whole answer's and every refusal before a view (a Host
not served, the HTTPS redirect) is counted too; `/metrics` itself is answered here for those allowed
(`apiv2.metrics_view`) and not counted.
"""
import time

from access.metrics import API, FAILED, PAGES, REFUSED, REQUEST_SECONDS, REQUESTS, SERVED, TOKEN, TOKENS_ISSUED
from apiv2.exceptions import API_PREFIX, reason_code
from apiv2.metrics_view import METRICS_PATH, metrics_allowed, metrics_response
from apiv2.refusals_noted import refusal_note
from apiv2.schemes import scheme_of
from consumers.oauth2.server import GRANT_TYPES

OAUTH1_ACCESS_TOKEN = "/oauth/access_token"
OAUTH2_TOKEN = "/oauth2/token"
TOKEN_ENDPOINTS = ("/oauth/request_token", OAUTH1_ACCESS_TOKEN, OAUTH2_TOKEN, "/oauth2/revoke_token",
                   "/oauth2/introspect", "/oauth2/device_authorization")
# The grant types' names as the metrics say them: the last word of a URN.
GRANTS = {grant: grant.rsplit(":", 1)[-1].replace("-", "_") for grant in GRANT_TYPES}
STATUS_LABELS = {}  # status code -> its label, made once


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS_PATH and metrics_allowed(request):
            return metrics_response()
        started = time.perf_counter()
        response = self.get_response(request)
        request_record(request, response, time.perf_counter() - started)
        return response


def request_record(request, response, seconds):
    """Count one answer and its time."""
    path = request.path_info
    group = route_group(path)
    status = response.status_code
    if status < 400:
        outcome, reason = SERVED, ""
    else:
        # A 503 is a refusal with a reason (a backing service down); any other 5xx is our failure.
        outcome, reason = FAILED if status >= 500 and status != 503 else REFUSED, reason_code(response)
    label = STATUS_LABELS.get(status) or STATUS_LABELS.setdefault(status, str(status))
    scheme = _scheme(request, group, path)
    REQUESTS.labels(group, scheme, outcome, reason, label).inc()
    REQUEST_SECONDS.labels(group).observe(seconds)
    if group == API and outcome == REFUSED:
        refusal_note(request, response, scheme=scheme, reason=reason)
    if group == TOKEN and status == 200:
        _count_issued(request, path)


def route_group(path):
    """`api` for `/v2`, `token` for the OAuth token endpoints (both protocols'), else `pages`."""
    if path.startswith(API_PREFIX):
        return API
    if path.startswith(TOKEN_ENDPOINTS):
        return TOKEN
    return PAGES


def _scheme(request, group, path):
    """The request's scheme (`apiv2.schemes.scheme_of`); on the token endpoints the protocol; pages have none."""
    if group == PAGES:
        return "none"
    if group == TOKEN:
        return "oauth2" if path.startswith("/oauth2/") else "oauth1"
    return scheme_of(request)


def _count_issued(request, path):
    """A 200 from a token endpoint that hands out access tokens: one more for its grant type."""
    if path.startswith(OAUTH1_ACCESS_TOKEN):
        TOKENS_ISSUED.labels("oauth1").inc()
    elif path.startswith(OAUTH2_TOKEN):
        grant = GRANTS.get(request.POST.get("grant_type", ""))
        if grant is not None:
            TOKENS_ISSUED.labels(grant).inc()
