"""The ways into the API, side by side: each scheme is one module that does the same four steps.

Read the request (None: "not mine, try the next scheme") -> verify the credentials -> ask the gate
(`consumers.gate`) -> return the credentials record (`access.credentials.ApiCredentials`). Adding a
scheme is adding a module here and listing its class in REST_FRAMEWORK's authentication classes.

A scheme may read the request and start its round trip to the shared store as the request comes in
(`begin`, called by `apiv2.early_reads`), so that Django's middleware, the URL and the view's set-up
run while the store answers instead of after it: the worker finds the answer waiting rather than
sleeping on it (a warm request's latency loses the round trip and, with a CPU to spare, about 100 µs
(Basic) to 300 µs (OAuth 1.0a) of the worker's CPU: fewer system calls and switches).
"""
import re

from rest_framework.authentication import BaseAuthentication

from access.refusals import Refusal
from apiv2.errors import ApiError

BEGUN = "begun_credentials"  # on Django's request: {scheme class: what its `begin` returned, None included}
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

    def begin(self, request):
        """The first step on its own, for a scheme that has a round trip to start: what `credentials`
        goes on from (None: not this scheme's request). `request` is Django's."""
        return None

    def abandon(self, begun):
        """Undo what `begin` left behind for a request that never came to this scheme."""

    def begun(self, request):
        """What `begin` made of this request as it came in (`apiv2.early_reads`), else `begin` now; a
        refusal of the first step is raised here, in the contract's order, never early."""
        early = getattr(request._request, BEGUN, {})
        return early.pop(type(self)) if type(self) in early else self.begin(request._request)

    def authenticate_header(self, request):
        return self.challenge
