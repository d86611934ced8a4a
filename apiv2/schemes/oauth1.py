"""OAuth 1.0a-signed API requests (RFC 5849 §3): who is calling, through which client, with which scopes.

Read and verified by the oauthlib bridge (`consumers.oauth1.bridge`), then judged by the gate: the
token's user is the acting user. The client's and the token's snapshots are read, and the nonce
claimed, in one round trip to the store; a claim for a request that turns out bad is given back, so
strangers leave nothing behind.
"""
from access.credentials import ApiCredentials
from access.refusals import InvalidCredentials, Refusal, refuse_if
from access.store.nonces import FRESH, nonce_claim, nonce_release
from access.store.reads import fetch_and_claim
from apiv2.schemes import Scheme
from consumers.gate import OAUTH1, gate
from consumers.oauth1 import bridge
from consumers.oauth1.nonces import claim_refusal
from consumers.oauth1.selectors import resource_snapshot_names
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
        oauth_request = bridge.read(request)
        if oauth_request is None:
            return None
        guard = bridge.check_resource_request(oauth_request)
        found, outcome = fetch_and_claim(snapshots=resource_snapshot_names(
            consumer_key=oauth_request.client_key, token_key=oauth_request.resource_owner_key), guard=guard)
        try:
            consumer, access_token = bridge.verify_resource_request(oauth_request, found=found)
        except Refusal:
            if outcome == FRESH:
                nonce_release(guard)
            raise
        if outcome is None:  # without Redis nothing was claimed with the read: claimed now it is known good
            outcome = nonce_claim(guard)
        refuse_if(claim_refusal(outcome))
        user = access_token.user
        refuse_if(oauth1_gate(client=consumer, user=user))
        consumer_mark_used(consumer=consumer)
        access_token_mark_used(access_token=access_token)
        return user, ApiCredentials(scheme=OAUTH1, consumer=consumer, scopes=tuple(access_token.scope_list),
                                    token=access_token)


class OAuth1TokenChallenge(Scheme):
    """For the token endpoints, which verify the whole request themselves through the bridge: it
    authenticates nothing, and is listed there only so that their 401s carry the OAuth challenge."""

    challenge = CHALLENGE

    def credentials(self, request):
        return None
