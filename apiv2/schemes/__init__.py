"""The ways into the API, side by side: each scheme is one module that does the same four steps.

Read the request (None: "not mine, try the next scheme") -> verify the credentials -> ask the gate
(`consumers.gate`) -> return the credentials record (`access.credentials.ApiCredentials`), top to
bottom in DRF's `authenticate`, leaving nothing on the request for another layer to finish. Adding a
scheme is adding a module here and listing its class in REST_FRAMEWORK's authentication classes.
"""
import re

from rest_framework.authentication import BaseAuthentication

from access.refusals import Refusal
from apiv2.errors import ApiError

WORD = re.compile(r"[^ \t\n\r\x0b\x0c]+")  # a run between ASCII whitespace, as `bytes.split()` cuts


def authorization_words(request):
    """The `Authorization` header's words, cut where DRF's `get_authorization_header(request).split()` cuts
    them (at ASCII whitespace), from the header as Django holds it (DRF encodes it anew on every call):
    what Basic and Bearer tell their requests by (the first word, any case) and read credentials from.
    OAuth 1.0a's header has its own parser (`consumers.oauth1.protocol_rules.header_parameters`)."""
    return WORD.findall(request.META.get("HTTP_AUTHORIZATION", ""))


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
