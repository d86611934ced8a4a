"""One line per request for operators (`LOG_FORMAT=json`): what was asked (the route, never the query
string), who asked (the scheme, the client address), how it ended (the outcome, the status) and how
long it took.

The outcome is `served`, or the reason code the answer was given for: a refusal's code
(`access.refusals`), DRF's code for its own errors (`throttled`, `not_authenticated`, ...), the RFC
6749 `error` at the OAuth 2.0 endpoints, else the status's name (`not_found`, `internal_server_error`).
"""
import logging
import time
from http import HTTPStatus

from access.client_address import client_address
from apiv2.schemes import scheme_of as request_scheme

logger = logging.getLogger("apiproject.access")

# At the protocols' own endpoints (URL names), the protocol is the scheme, whatever carried the client's
# credentials (HTTP Basic at the OAuth 2.0 token endpoint).
PROTOCOL_ROUTES = (("oauth2-", "oauth2"), ("oauth-", "oauth1"))


class AccessLogMiddleware:
    """Right after `RequestIdMiddleware`, so the line carries the ID and the time covers the rest.
    With the logger off (text logs: gunicorn writes the access log), it costs one level check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        route = route_of(request)
        logger.info("%s %s %s", request.method, route or request.path, response.status_code, extra={
            "method": request.method,
            "path": request.path,
            "route": route,
            "scheme": scheme_of(request, route),
            "outcome": outcome_of(response),
            "status": response.status_code,
            "latency_ms": latency_ms,
            "client": client_address(request),
        })
        return response


def route_of(request):
    """The URL pattern's name (or, unnamed, its view's), None for what no pattern served (a static file)."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def scheme_of(request, route):
    """The request's scheme (`apiv2.schemes.scheme_of`); at a protocol's own endpoints, the protocol."""
    if getattr(getattr(request, "auth", None), "scheme", None) is None:
        for prefix, protocol in PROTOCOL_ROUTES:
            if route and route.startswith(prefix):
                return protocol
    return request_scheme(request)


def outcome_of(response):
    code = getattr(response, "reason_code", None)
    if code:
        return code
    if response.status_code < 400:
        return "served"
    try:
        return HTTPStatus(response.status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return f"status_{response.status_code}"
