"""OAuth 1.0a-signed API requests (RFC 5849 §3): who is calling, through which client, with which scopes.

Returns None when the request carries no OAuth parameters ("not mine, try the next scheme"); raises
the contract's error when it does but something is wrong; else `(token's user, ApiCredentials)`.
"""
from rest_framework.authentication import BaseAuthentication

from apiv2.credentials import ApiCredentials
from consumers.oauth1 import bridge
from consumers.oauth1.services import access_token_mark_used
from consumers.services import consumer_mark_used

REALM = "api"


def oauth_challenge():
    return f'OAuth realm="{REALM}"'


class OAuth1Authentication(BaseAuthentication):
    def authenticate(self, request):
        django_request = request._request
        if not bridge.has_oauth_params(django_request):
            return None
        access_token = bridge.verify_resource_request(django_request)
        consumer = access_token.consumer
        consumer_mark_used(consumer=consumer)
        access_token_mark_used(access_token=access_token)
        credentials = ApiCredentials(
            scheme="oauth1", consumer=consumer, scopes=tuple(access_token.scope_list), token=access_token
        )
        return access_token.user, credentials

    def authenticate_header(self, request):
        return oauth_challenge()


class OAuth1TokenChallenge(BaseAuthentication):
    """For the token endpoints, which verify the whole request themselves through the bridge: it
    authenticates nothing, and is listed there only so that their 401s carry the OAuth challenge."""

    def authenticate(self, request):
        return None

    def authenticate_header(self, request):
        return oauth_challenge()
