"""OAuth 1.0a's token endpoints (RFC 5849 §2.1, §2.3): API views, so their errors are the guide's JSON.

Each reads the request through the bridge, verifies it, asks the gate, counts it against the client
key's rate limit, then issues. Success is form-encoded, as the RFC says; POST, and GET as it allows.
"""
from django.http import HttpResponse
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from access.refusals import MalformedRequest, refuse_if
from apiv2.schemes.oauth1 import OAuth1TokenChallenge, oauth1_gate
from apiv2.throttling import RateLimitHeadersMixin, throttle_client_key
from consumers.oauth1 import bridge
from consumers.oauth1.policy import callback_refusal, granted_scopes
from consumers.oauth1.protocol_rules import MISSING


class TokenEndpointView(RateLimitHeadersMixin, APIView):
    authentication_classes = [OAuth1TokenChallenge]
    permission_classes = [AllowAny]
    throttle_classes = []  # counted once the client is verified: see `throttle_client_key`

    def post(self, request):
        oauth_request = bridge.read(request)
        if oauth_request is None:
            raise MalformedRequest(MISSING)
        body = self.issue(request, oauth_request)
        response = HttpResponse(body, content_type=bridge.FORM)
        response["Cache-Control"] = "no-store"  # it carries a secret
        return response

    get = post

    def issue(self, request, oauth_request):
        raise NotImplementedError


class RequestTokenView(TokenEndpointView):
    def issue(self, request, oauth_request):
        oauth_request = bridge.verify_request_token_request(oauth_request)
        consumer = oauth_request.consumer
        refuse_if(oauth1_gate(client=consumer, user=None))
        throttle_client_key(request, consumer)
        refuse_if(callback_refusal(consumer, oauth_request.redirect_uri))
        scopes = granted_scopes(consumer, bridge.signed_parameter(oauth_request, "scope"))
        return bridge.issue_request_token(oauth_request, scopes)


class AccessTokenView(TokenEndpointView):
    def issue(self, request, oauth_request):
        oauth_request = bridge.verify_access_token_request(oauth_request)
        consumer = oauth_request.consumer
        refuse_if(oauth1_gate(client=consumer, user=oauth_request.request_token.user))
        throttle_client_key(request, consumer)
        return bridge.issue_access_token(oauth_request)
