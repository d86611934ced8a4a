"""The one bridge between Django and oauthlib's OAuth 2.0: django-oauth-toolkit's `OAuthLibCore`
(`OAUTH2_BACKEND_CLASS`), with the two things its endpoints need that it lacks: introspection through
oauthlib's endpoint (client-authenticated, RFC 7662) and the client a token request authenticates as
(for its rate limit, counted before anything is issued)."""
from oauth2_provider import oauth2_backends
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request
from oauthlib.oauth2 import DeviceAuthorizationEndpoint

from consumers.oauth2.device import DEVICE_CODE_LIFETIME, user_code_unique


class OAuthLibCore(oauth2_backends.OAuthLibCore):
    def create_introspect_response(self, request):
        """(headers, body, status) of RFC 7662 introspection for a Django request."""
        uri, http_method, body, headers = self._extract_params(request)
        return self.server.create_introspect_response(uri, http_method, body, headers)

    def authenticated_client(self, request):
        """The registered client whose key and secret the Django request carries, or None."""
        uri, http_method, body, headers = self._extract_params(request)
        oauth_request = Request(uri, http_method, body, headers)
        if self.server.request_validator.authenticate_client(oauth_request):
            return oauth_request.client
        return None


def device_authorization_core(verification_uri, interval):
    """The bridge to oauthlib's RFC 8628 device authorization endpoint, with our validator, our user
    codes and our lifetime; `verification_uri` is the page where users type the code."""
    validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
    endpoint = DeviceAuthorizationEndpoint(
        validator, verification_uri, expires_in=int(DEVICE_CODE_LIFETIME.total_seconds()), interval=interval,
        verification_uri_complete=verification_uri + "?user_code={user_code}", user_code_generator=user_code_unique,
    )
    return OAuthLibCore(endpoint)


def core():
    """The bridge, built from the toolkit's settings (read now, so a test's settings apply)."""
    return get_oauthlib_core()
