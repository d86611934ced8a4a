"""OAuth 1.0a-signed API requests (RFC 5849 §3): who is calling, through which client, with which scopes.

Read and verified by the oauthlib bridge (`consumers.oauth1.bridge`), then judged by the gate: the
token's user is the acting user.
"""
from access.credentials import ApiCredentials
from access.refusals import InvalidCredentials
from apiv2.schemes import Scheme, refuse_if
from apiv2.throttling import admit_with_nonce
from consumers.gate import OAUTH1, gate
from consumers.oauth1 import bridge
from consumers.oauth1.services import access_token_mark_used
from consumers.services import consumer_mark_used

CHALLENGE = 'OAuth realm="api"'


def oauth1_gate(*, client, user):
    """The gate, in OAuth's words: a deactivated user reads like any bad signature or token."""
    refusal = gate(client=client, user=user, scheme=OAUTH1)
    return InvalidCredentials(bridge.INVALID) if isinstance(refusal, InvalidCredentials) else refusal


class OAuth1Authentication(Scheme):
    challenge = CHALLENGE

    def credentials(self, request):
        oauth_request = bridge.read(request._request)
        if oauth_request is None:
            return None
        consumer, access_token, replay_guard = bridge.verify_resource_request(oauth_request)
        credentials = ApiCredentials(
            scheme=OAUTH1, consumer=consumer, scopes=tuple(access_token.scope_list), token=access_token
        )
        admit_with_nonce(request, access_token.user, credentials, replay_guard)
        refuse_if(oauth1_gate(client=consumer, user=access_token.user))
        consumer_mark_used(consumer=consumer)
        access_token_mark_used(access_token=access_token)
        return access_token.user, credentials


class OAuth1TokenChallenge(Scheme):
    """For the token endpoints, which verify the whole request themselves through the bridge: it
    authenticates nothing, and is listed there only so that their 401s carry the OAuth challenge."""

    challenge = CHALLENGE

    def credentials(self, request):
        return None
