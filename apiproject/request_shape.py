"""Refuses, before any view, the requests Django cannot read: a Host it does not serve, more fields
than it accepts, a body over the upload limit, a broken multipart body.

Django raises these lazily, wherever the host, the query or the body is first read: inside an API
view that became a 500 with a traceback, elsewhere a 400 logged with one. Read here once, up front,
they get the contract's JSON under the API URLs and the site's page elsewhere, logged as one line.
"""
import logging

from django.core.exceptions import DisallowedHost

from apiproject.error_views import for_clients, refused_page
from apiv2.exceptions import unreadable_request

logger = logging.getLogger("django.request")

HOST_NOT_SERVED = "The Host header names a host this service does not serve."


class RequestShapeMiddleware:
    """First in MIDDLEWARE, so nothing after it (the HTTPS redirect, CSRF, views) meets these errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = _refusal(request)
        if refused is None:
            return self.get_response(request)
        status, additional = refused
        logger.warning("Refused before the view (%s): %s %s", additional, request.method, request.path)
        return for_clients(request, status, additional) or refused_page(request, status)


def _refusal(request):
    """(status, why) for a request Django would refuse once read, or None. Reads the query and the
    body once (Django keeps both), so views and DRF's parsers find them already read."""
    try:
        request.get_host()
    except DisallowedHost:
        return 400, HOST_NOT_SERVED
    try:
        request.GET  # noqa: B018 (parsed now, kept by Django)
        request.body  # noqa: B018
        if request.method == "POST":
            request.POST  # noqa: B018
    except Exception as error:
        refusal = unreadable_request(error)
        if refusal is None:
            raise
        return refusal
    return None
