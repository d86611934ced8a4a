"""Starts each API scheme's first step (`Scheme.begin`) as the request comes in, before the rest of
Django's middleware, the URL and the view's set-up: the shared store answers meanwhile, and the scheme
finds the answer waiting (`Scheme.begun`). Nothing is decided here; a refusal of the first step is
left for the scheme to raise in its turn, and what a scheme began for a request that never came to it
(a page that authenticates nobody, a 404) is undone once the answer is made (`Scheme.abandon`)."""
from rest_framework.settings import api_settings

from apiv2.exceptions import API_PREFIX
from apiv2.schemes import BEGUN, Scheme


class EarlyReadsMiddleware:
    """Right after `RequestShapeMiddleware` (a request Django cannot read is refused first)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.schemes = {cls: cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES
                        if issubclass(cls, Scheme) and cls.begin is not Scheme.begin}

    def __call__(self, request):
        # The schemes guard the API's views only. Elsewhere, at the OAuth token endpoints say, a signed
        # request's nonce is the endpoint's own to claim.
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        begun = {}
        for cls, scheme in self.schemes.items():
            try:
                started = scheme.begin(request)
            except Exception:  # noqa: BLE001 - raised again by the scheme, in its turn (`Scheme.begun`)
                break
            begun[cls] = started  # None too: the scheme need not read the request again to learn it is not its own
            if started is not None:
                break  # asked in DRF's order, this scheme answers before any later one is asked
        setattr(request, BEGUN, begun)
        try:
            return self.get_response(request)
        finally:
            for cls, started in begun.items():  # the ones no scheme took up (`Scheme.begun` pops)
                if started is not None:
                    self.schemes[cls].abandon(started)
