"""OAuth 1.0a-signed API requests (RFC 5849 §3): who is calling, through which client, with which scopes.

Read and verified by the oauthlib bridge (`consumers.oauth1.bridge`), then judged by the gate: the
token's user is the acting user.
"""
from access.credentials import ApiCredentials
from access.refusals import InvalidCredentials, Refusal, refuse_if
from access.shared_state import fetch_and_claim_start, nonce_claim
from apiv2.schemes import Scheme
from apiv2.throttling import RateCounts
from consumers.gate import OAUTH1, gate
from consumers.oauth1 import bridge
from consumers.oauth1.nonces import REPLAYED
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

    def begin(self, request):
        oauth_request = bridge.read(request)
        if oauth_request is None:
            return None
        replay_guard = bridge.check_resource_request(oauth_request)
        # The client's and the token's snapshots, the rate counters and the nonce's claim in one round
        # trip (a warm request's only one); a claim for a request that turns out bad is given back.
        snapshots = resource_snapshot_names(consumer_key=oauth_request.client_key,
                                            token_key=oauth_request.resource_owner_key)
        rate = RateCounts(client_key=oauth_request.client_key)
        claim = fetch_and_claim_start(
            snapshots=snapshots, counters=rate.names, nonce=replay_guard,
            tagged_counter=(snapshots[1], rate.account_template) if rate.account_template else None)
        return oauth_request, rate, claim

    def abandon(self, begun):
        """A nonce claimed for a request that never came to be verified is given back."""
        _, _, claim = begun
        claim.release()

    def credentials(self, request):
        begun = self.begun(request)
        if begun is None:
            return None
        oauth_request, rate, claim = begun
        found, fresh = claim.result()
        try:
            consumer, access_token = bridge.verify_resource_request(oauth_request, found=found)
        except Refusal:
            claim.release()
            raise
        counts_read = fresh is not None  # without Redis nothing was read or claimed with the lookups
        if not counts_read:  # so the nonce is claimed now that the request is known good
            fresh = nonce_claim(*claim.nonce)
        if not fresh:
            raise InvalidCredentials(REPLAYED)
        user = access_token.user
        refuse_if(oauth1_gate(client=consumer, user=user))
        if counts_read:  # else the throttle reads and counts them itself
            rate.read_from(request, found, username=user.get_username())
        consumer_mark_used(consumer=consumer)
        access_token_mark_used(access_token=access_token)
        credentials = ApiCredentials(
            scheme=OAUTH1, consumer=consumer, scopes=tuple(access_token.scope_list), token=access_token
        )
        return user, credentials


class OAuth1TokenChallenge(Scheme):
    """For the token endpoints, which verify the whole request themselves through the bridge: it
    authenticates nothing, and is listed there only so that their 401s carry the OAuth challenge."""

    challenge = CHALLENGE

    def credentials(self, request):
        return None
