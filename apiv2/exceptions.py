"""The one place that gives every API error the guide's body: status, message, additional, reference.

DRF calls `api_exception_handler` for exceptions raised in API views; `json_error_response` serves
Django's own 404/500 handlers and middleware for the same URLs.
"""
import logging
import math

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from access.refusals import InsufficientScope, Refusal, SharedStateUnavailable
from apiv2.errors import ApiError

logger = logging.getLogger("django.request")

GENERIC_MESSAGES = {
    status.HTTP_400_BAD_REQUEST: "Bad Request",
    status.HTTP_401_UNAUTHORIZED: "Could not authenticate:",
    status.HTTP_403_FORBIDDEN: "Forbidden",
    status.HTTP_404_NOT_FOUND: "Not Found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Method Not Allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "Not Acceptable",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "Content Too Large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Unsupported Media Type",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many requests",
    status.HTTP_500_INTERNAL_SERVER_ERROR: "Internal Server Error",
    status.HTTP_503_SERVICE_UNAVAILABLE: "Service Unavailable",
}


def error_body(status_code, message=None, additional="", reference=""):
    return {
        "status": status_code,
        "message": message or GENERIC_MESSAGES.get(status_code, "Error"),
        "additional": additional,
        "reference": reference,
    }


def json_error_response(status_code, message=None, additional="", reference=""):
    return JsonResponse(error_body(status_code, message, additional, reference), status=status_code)


def unreadable_request(error):
    """(status, additional) for an error Django raises while reading a request it will not accept
    (field count, body size, a broken body), or None for any other error."""
    if isinstance(error, TooManyFieldsSent):
        return 400, f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields."
    if isinstance(error, RequestDataTooBig):
        return 413, f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
    if isinstance(error, (TooManyFilesSent, MultiPartParserError, UnreadablePostError)):
        return 400, "The request body could not be read."
    return None


def api_exception_handler(exc, context):
    request = context.get("request")
    unreadable = unreadable_request(exc)  # DRF parses the bodies Django leaves (PUT, PATCH) itself
    if unreadable is not None:
        status_code, additional = unreadable
        logger.warning("Unreadable request: %s", additional)
        return json_error_response(status_code, additional=additional)
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("Database unavailable: %s", exc.__class__.__name__)
        exc = ApiError(SharedStateUnavailable())
    elif isinstance(exc, Refusal):
        exc = ApiError(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        # Anything else is our bug: log it with its traceback, answer in the contract's shape.
        logger.error("Unhandled error in API view", exc_info=(type(exc), exc, exc.__traceback__))
        return json_error_response(status.HTTP_500_INTERNAL_SERVER_ERROR)

    reference = exc.reference_url(request) if isinstance(exc, ApiError) else ""
    response.data = error_body(response.status_code, *_message_and_additional(exc), reference)
    # Why, for the access log (`apiproject.access_log`): the refusal's code, else DRF's for its errors.
    response.reason_code = exc.refusal.code if isinstance(exc, ApiError) else exc.default_code
    if response.status_code == status.HTTP_401_UNAUTHORIZED and request is not None:
        challenges = _challenges(context.get("view"), request)
        if challenges:
            response["WWW-Authenticate"] = challenges
    elif isinstance(exc, ApiError) and request is not None:
        challenge = _refusal_challenge(request, exc.refusal)
        if challenge:
            response["WWW-Authenticate"] = challenge
    wait = getattr(exc, "wait", None)  # DRF's Throttled, a TooManyFailedAttempts refusal
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and wait is not None:
        response["Retry-After"] = str(whole_seconds(wait))
    return response


def _message_and_additional(exc):
    if isinstance(exc, ApiError):
        return exc.message, exc.additional
    if isinstance(exc, exceptions.ValidationError):
        return "Invalid request", _flatten(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        return "Too many requests", f"Retry in {whole_seconds(exc.wait or 1)} seconds."
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        additional = "" if isinstance(exc, exceptions.NotAuthenticated) else str(exc.detail)
        return "Could not authenticate:", additional or "No credentials were given."
    return GENERIC_MESSAGES.get(exc.status_code), str(exc.detail) if exc.detail else ""


def _flatten(detail, prefix=""):
    """Field errors as one line: `name: This field is required.; price: ...`."""
    if isinstance(detail, dict):
        parts = [_flatten(value, f"{prefix}{key}: " if key != "non_field_errors" else prefix)
                 for key, value in detail.items()]
        return "; ".join(part for part in parts if part)
    if isinstance(detail, list):
        return "; ".join(_flatten(item, prefix) for item in detail)
    return f"{prefix}{detail}"


def whole_seconds(wait):
    """A wait as `Retry-After` says it: whole seconds, at least one."""
    return max(1, math.ceil(wait))


def _challenges(view, request):
    """Every scheme the URL accepts gets its challenge, not only the first class's (DRF's default).

    A page's script (`X-Requested-With: XMLHttpRequest`, as the API reference's "Try it out" sends) is
    challenged to Basic under a name browsers do not know: for `Basic` they open their own login box,
    which the page can neither fill nor close."""
    if view is None:
        return ""
    headers = [auth.authenticate_header(request) for auth in view.get_authenticators()]
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        headers = [f"X-{header}" if header and header.startswith("Basic ") else header for header in headers]
    return ", ".join(header for header in headers if header)


def _refusal_challenge(request, refusal):
    """The words of the scheme that authenticated the request on a refusal after it (a Bearer 403 for a
    missing scope carries RFC 6750's `insufficient_scope`). Only for a scope refusal, which comes after
    authentication: asking DRF which scheme took the request never authenticates again then."""
    if not isinstance(refusal, InsufficientScope):
        return ""
    words = getattr(request.successful_authenticator, "refusal_challenge", None)
    return words(request, refusal) if words is not None else ""


API_PREFIX = "/v2"  # the API's views (`apiproject.urls`)


def is_api_path(path):
    """Answered with the contract's JSON errors: the API's views, the OAuth 1.0a token endpoints and
    the payment provider's notifications."""
    return path.startswith((API_PREFIX, "/oauth/request_token", "/oauth/access_token", "/billing/notifications"))

