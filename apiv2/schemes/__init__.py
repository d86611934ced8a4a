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
from consumers.oauth1.bridge import FORM

WORD = re.compile(r"[^ \t\n\r\x0b\x0c]+")  # a run between ASCII whitespace, as `bytes.split()` cuts


def authorization_words(request):
    """The `Authorization` header's words, cut where DRF's `get_authorization_header(request).split()` cuts
    them (at ASCII whitespace), from the header as Django holds it (DRF encodes it anew on every call):
    what Basic and Bearer tell their requests by (the first word, any case) and read credentials from.
    OAuth 1.0a's header has its own parser (`consumers.oauth1.protocol_rules.header_parameters`)."""
    return WORD.findall(request.META.get("HTTP_AUTHORIZATION", ""))


# A scheme's name in the credentials record (`ApiCredentials.scheme`), by the `Authorization` header's word.
PRESENTED = {"basic": "basic", "oauth": "oauth1", "bearer": "oauth2"}


def scheme_of(request):
    """basic, oauth1 or oauth2: the scheme that took the request (its credentials record), else the one
    its credentials were sent in, told as the schemes tell theirs (the `Authorization` header's word,
    OAuth 1.0a's parameters in the query or a form body); "none" without any. For operators' logs and
    metrics: it authenticates nothing."""
    scheme = getattr(getattr(request, "auth", None), "scheme", None)
    if scheme:
        return scheme
    words = authorization_words(request)
    word = words[0].lower() if words else ""
    if word in PRESENTED:
        return PRESENTED[word]
    if "oauth_" in request.META.get("QUERY_STRING", "") or _oauth_in_form(request):
        return "oauth1"
    return "none"


def _oauth_in_form(request):
    """OAuth 1.0a parameters in a form body (read already, if at all readable: see the request-shape rule)."""
    if request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip() != FORM:
        return False
    try:
        return b"oauth_" in request.body
    except Exception:  # noqa: BLE001 - a body Django refused to read (too large, unreadable): no parameters
        return False


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
