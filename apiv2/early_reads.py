"""Starts each API scheme's first step (`Scheme.begin`) as the request comes in, before the rest of
Django's middleware, the URL and the view's set-up: the shared store answers meanwhile, and the scheme
finds the answer waiting (`Scheme.begun`). Nothing is decided here; a refusal of the first step is
left for the scheme to raise in its turn."""
from rest_framework.settings import api_settings

from apiv2.schemes import BEGUN, Scheme


class EarlyReadsMiddleware:
    """Right after `RequestShapeMiddleware` (a request Django cannot read is refused first)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.schemes = [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES
                        if issubclass(cls, Scheme) and cls.begin is not Scheme.begin]

    def __call__(self, request):
        begun = {}
        for scheme in self.schemes:
            try:
                started = scheme.begin(request)
            except Exception:  # noqa: BLE001 - raised again by the scheme, in its turn (`Scheme.begun`)
                continue
            if started is not None:
                begun[type(scheme)] = started
        if begun:
            setattr(request, BEGUN, begun)
        return self.get_response(request)
