"""The request ID: one per request, on its answer (`X-Request-ID`), in every log line the request
causes and on the 500 page, so the ID a person quotes leads to the log lines of their request.

A proxy's ID is kept only when `TRUSTED_PROXIES` says one is in front (the client-address rule's one
setting): with none, the header is whatever the client wrote, and a client must not be able to make
its lines look like someone else's.
"""
import contextvars
import logging
import re
import secrets

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
# A token of characters harmless in a header, a log line and a page, bounded so nobody fills the logs.
ACCEPTED = re.compile(r"[A-Za-z0-9._:@+=-]{8,128}")

_current = contextvars.ContextVar("request_id", default="")


def current_request_id():
    """The ID of the request being served, or "" outside a request."""
    return _current.get()


def new_request_id():
    return secrets.token_hex(16)


def request_id_for(request):
    """The trusted proxy's ID when it is well formed, else a new one."""
    if settings.TRUSTED_PROXIES > 0:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if ACCEPTED.fullmatch(given):
            return given
    return new_request_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line of the request, the access line included, is written while
    the ID is set, and every answer carries it, the 500 Django's handler makes included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        # Kept until the answer is sent (`forget_request_id`), not only until the middleware returns:
        # Django logs a 4xx ("Not Found: /x") after every middleware has returned.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="forget_request_id")
def forget_request_id(**kwargs):
    """The answer has been sent: lines from here on (the next request's, a worker's) are not this one's."""
    _current.set("")


class RequestIdFilter(logging.Filter):
    """Puts the current request ID on every record a handler writes (`record.request_id`)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
