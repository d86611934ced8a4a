"""The ways into the API, side by side: each scheme is one module that does the same four steps.

Read the request (None: "not mine, try the next scheme") -> verify the credentials -> ask the gate
(`consumers.gate`) -> return the credentials record (`access.credentials.ApiCredentials`). Adding a
scheme is adding a module here and listing its class in REST_FRAMEWORK's authentication classes.
"""
from rest_framework.authentication import BaseAuthentication

from access.refusals import Refusal
from apiv2.errors import ApiError


class Scheme(BaseAuthentication):
    """A DRF authentication class whose refusals reach DRF as `ApiError`s (so DRF knows the request
    is unauthenticated and the exception handler gives the guide's body)."""

    challenge = ""

    def authenticate(self, request):
        try:
            return self.credentials(request)
        except Refusal as refusal:
            raise ApiError(refusal) from None

    def credentials(self, request):
        """None when the request does not use this scheme, else `(user, ApiCredentials)`; a refusal
        (raised) when it does but may not go on."""
        raise NotImplementedError

    def authenticate_header(self, request):
        return self.challenge
