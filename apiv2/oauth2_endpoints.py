"""OAuth 2.0's endpoints for clients (CONTRACT.md, "URLs"): token (RFC 6749 §3.2), revocation (RFC 7009),
introspection (RFC 7662) and the authorization server's metadata (RFC 8414).

Each passes the request through the bridge (`consumers.oauth2.bridge`) to oauthlib, which judges it
with our validator and asks the gate before issuing; errors answer in one shape (`apiv2.oauth2_errors`).
The token, revocation and introspection endpoints count against the client key's rate limit once the
client has authenticated, as OAuth 1.0a's token endpoints do.
"""
import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from oauth2_provider.settings import oauth2_settings
from rest_framework.exceptions import Throttled

from access.refusals import Refusal, SharedStateUnavailable
from apiv2.oauth2_errors import oauth2_error_response, oauthlib_response, refusal_response, throttled_response
from apiv2.throttling import rate_limit_headers, throttle_client_key
from apiv2.token_exchange import is_token_exchange, token_exchange_response
from consumers.oauth2.bridge import core
from consumers.oauth2.server import CODE_CHALLENGE_METHODS, GRANT_TYPES, RESPONSE_TYPES
from consumers.scopes import ALL_SCOPES

logger = logging.getLogger("django.request")
CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


@method_decorator(csrf_exempt, name="dispatch")  # clients, not browsers: no cookies are read here
@method_decorator(sensitive_post_parameters(), name="dispatch")  # secrets, codes, tokens
class OAuth2EndpointView(View):
    http_method_names = ["post"]

    def post(self, request):
        try:
            response = self.answer(request)
        except Refusal as refusal:
            response = refusal_response(request, refusal)
        except Throttled as throttled:
            response = throttled_response(throttled.wait)
        except (OperationalError, InterfaceError) as error:
            logger.error("Database unavailable: %s", error.__class__.__name__)
            response = refusal_response(request, SharedStateUnavailable())
        for name, value in rate_limit_headers(request).items():
            response[name] = value
        return response

    def answer(self, request):
        raise NotImplementedError

    def counted(self, request, bridge):
        """The bridge, once the request counted against its client key's rate limit (a client that
        does not authenticate is refused by oauthlib, uncounted: nobody spends another's budget)."""
        client = bridge.authenticated_client(request)
        if client is not None:
            throttle_client_key(request, client)
        return bridge

    def http_method_not_allowed(self, request, *args, **kwargs):
        return oauth2_error_response(405, "invalid_request", "Use POST.", {"Allow": "POST"})


class OAuth2TokenView(OAuth2EndpointView):
    def answer(self, request):
        if is_token_exchange(request):  # signed with OAuth 1.0a, not client-authenticated: its own path
            return token_exchange_response(request)
        _, headers, body, status = self.counted(request, core()).create_token_response(request)
        return oauthlib_response(headers, body, status)


class OAuth2RevokeView(OAuth2EndpointView):
    def answer(self, request):
        _, headers, body, status = self.counted(request, core()).create_revocation_response(request)
        return oauthlib_response(headers, body, status)


class OAuth2IntrospectView(OAuth2EndpointView):
    def answer(self, request):
        headers, body, status = self.counted(request, core()).create_introspect_response(request)
        return oauthlib_response(headers, body, status)


class AuthorizationServerMetadataView(View):
    """RFC 8414: where everything is, for clients that configure themselves."""

    http_method_names = ["get", "head"]

    def get(self, request):
        def url(name):
            try:
                return request.build_absolute_uri(reverse(name))
            except NoReverseMatch:  # an endpoint this deployment does not route (yet)
                return None

        metadata = {
            "issuer": oauth2_settings.oauth2_authorization_server_issuer(request),  # RFC 9207's `iss` too
            "authorization_endpoint": url("oauth2-authorize"),
            "token_endpoint": url("oauth2-token"),
            "revocation_endpoint": url("oauth2-revoke-token"),
            "introspection_endpoint": url("oauth2-introspect"),
            "device_authorization_endpoint": url("oauth2-device-authorization"),
            "grant_types_supported": list(GRANT_TYPES),
            "response_types_supported": list(RESPONSE_TYPES),
            "code_challenge_methods_supported": list(CODE_CHALLENGE_METHODS),
            # RFC 9207: every answer of the authorization endpoint names us (`iss`), errors too.
            "authorization_response_iss_parameter_supported": True,
            "scopes_supported": list(ALL_SCOPES),
            "token_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
            "revocation_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
            "introspection_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
            "service_documentation": url("docs-authentication"),
        }
        return JsonResponse({name: value for name, value in metadata.items() if value is not None})
