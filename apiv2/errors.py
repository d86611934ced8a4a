"""The API's error vocabulary: each refusal our guide names, as an exception that carries its text.

The exception handler (`apiv2.exceptions`) turns any of them into the guide's four-key body.
"""
from django.urls import NoReverseMatch, reverse
from rest_framework import status
from rest_framework.exceptions import APIException


class ApiError(APIException):
    """A refusal with the guide's `message` and `additional` texts.

    `reference_url_name` names a page whose absolute URL becomes `reference` (`reference_url`), resolved
    against the request so the link points at this deployment.
    """

    status_code = status.HTTP_400_BAD_REQUEST
    message = "Bad Request"
    additional = ""
    reference_url_name = ""

    def __init__(self, additional=None):
        if additional is not None:
            self.additional = additional
        super().__init__(detail=self.message)

    def reference_url(self, request):
        """The absolute URL of the page that helps with this refusal, or ""."""
        if not self.reference_url_name or request is None:
            return ""
        try:
            return request.build_absolute_uri(reverse(self.reference_url_name))
        except NoReverseMatch:
            return ""


class ClientKeyMissing(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    message = "Must give an app key via X-Client-Key header or client_key query string parameter"


class CouldNotAuthenticate(ApiError):
    """Bad credentials of any kind: one text, so the answer never says which part was wrong."""

    status_code = status.HTTP_401_UNAUTHORIZED
    message = "Could not authenticate:"
    additional = "Invalid credentials."


class InvalidClientKey(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Invalid client key"


class ClientKeyNotOwned(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Client key does not belong to the authenticated account"


class AccountLocked(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "No API Access"
    additional = "The authenticated account is locked due to an unpaid balance."
    reference_url_name = "billing"


class AccountDisabled(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "API Access is disabled"
    additional = "API access has been disabled for this user due to API terms violation."
    reference_url_name = "contact"


class InsufficientScope(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Insufficient scope"

    def __init__(self, scope):
        super().__init__(additional=f"This request needs the '{scope}' scope.")


class TooManyFailedAttempts(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    message = "Too many requests"

    def __init__(self, wait):
        self.wait = wait
        super().__init__(additional=f"Too many failed sign-in attempts; retry in {wait} seconds.")


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    message = "Service Unavailable"
    additional = "A backing service could not be reached; try again shortly."
