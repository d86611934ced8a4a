"""The one bridge between Django and oauthlib's OAuth 2.0: django-oauth-toolkit's `OAuthLibCore`
(`OAUTH2_BACKEND_CLASS`), with what its endpoints need that it lacks: introspection through oauthlib's
endpoint (client-authenticated, RFC 7662), the client a request authenticates as (for its rate limit,
counted before anything is issued), and RFC 8628's device authorization for a client that
authenticates with HTTP Basic and so names itself in no `client_id` (RFC 8628 §3.1).

A Django request becomes oauthlib's (uri, method, body, headers) here, from Django's public request
API and the toolkit's public `extract_headers`/`extract_body`."""
from urllib.parse import quote, urlsplit, urlunsplit

from oauth2_provider import oauth2_backends
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request, urlencode, urlencoded
from oauthlib.oauth2 import DeviceAuthorizationEndpoint, OAuth2Error

from consumers.oauth2.device import DEVICE_CODE_LIFETIME, user_code_unique
from consumers.oauth2.validator import basic_credentials


class OAuthLibCore(oauth2_backends.OAuthLibCore):
    def oauthlib_params(self, request, *, add=()):
        """(uri, http_method, body, headers) of a Django request as oauthlib reads them; `add`: form
        parameters the body gains (each only where the body lacks it)."""
        body = self.extract_body(request)
        present = {name for name, _ in body}
        body += [(name, value) for name, value in add if name not in present]
        return _escaped_full_path(request), request.method, urlencode(body), self.extract_headers(request)

    def create_introspect_response(self, request):
        """(headers, body, status) of RFC 7662 introspection for a Django request."""
        return self.server.create_introspect_response(*self.oauthlib_params(request))

    def authenticated_client(self, request):
        """The registered client whose key and secret the Django request carries, or None."""
        oauth_request = Request(*self.oauthlib_params(request))
        if self.server.request_validator.authenticate_client(oauth_request):
            return oauth_request.client
        return None

    def create_device_authorization_response(self, request):
        """(headers, body, status) of RFC 8628 §3.1 for a Django request. A client that authenticates
        with HTTP Basic names itself there, not in a `client_id` (RFC 8628 §3.1: required only of a
        client that does not authenticate): its key stands for the `client_id` the body leaves out."""
        client_id, _ = basic_credentials(request.headers.get("Authorization", ""))
        add = [("client_id", client_id)] if client_id is not None else []
        try:
            return self.server.create_device_authorization_response(*self.oauthlib_params(request, add=add))
        except OAuth2Error as error:
            return error.headers, error.json, error.status_code


def _escaped_full_path(request):
    """The request's path and query, with the characters Django leaves in a query but oauthlib's
    form decoding refuses percent-encoded (as the toolkit does)."""
    parts = urlsplit(request.get_full_path())
    query = "".join(char if char in urlencoded else quote(char, safe="") for char in parts.query)
    return urlunsplit(parts._replace(query=query))


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
