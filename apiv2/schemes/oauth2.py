"""OAuth 2.0 Bearer tokens on `/v2` (RFC 6750 §2.1, the `Authorization` header): the token's user (or,
for client credentials, the client's owner), through the token's client, with the token's scopes.

Read the header -> the token (known, not expired; revoked tokens are deleted, so unknown) from one
round trip to the shared store, which also reads the client and the rate counts -> the gate -> the
credentials record. RFC 6750 §3's details ride on our answers: a 401 for a Bearer token says
`error="invalid_token"`, a missing scope `error="insufficient_scope"` with the scope.
"""
import re

from django.views.decorators.debug import sensitive_variables

from access.credentials import ApiCredentials
from access.refusals import InsufficientScope, InvalidCredentials, refuse_if
from access.shared_state import fetch_by_tag
from apiv2.schemes import Scheme, authorization_words
from apiv2.throttling import TaggedRateCounts
from consumers.gate import OAUTH2, gate
from consumers.oauth2.bearer_tokens import (
    ACCOUNT,
    CLIENT_KEY_NAME,
    CONSUMER_BY_TAG,
    acting_user,
    bearer_credentials,
    bearer_snapshot_name,
)
from consumers.services import consumer_mark_used

REALM = 'Bearer realm="api"'
# RFC 6750 §2.1's b64token, bounded: anything else cannot be a token we issued.
B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{1,512}=*")


@sensitive_variables("words", "token")
def bearer_token(request):
    """The token of an `Authorization: Bearer` header, "" when malformed, None for another scheme."""
    words = authorization_words(request)
    if not words or words[0].lower() != "bearer":
        return None
    if len(words) != 2:
        return ""
    token = words[1]
    return token if B64TOKEN.fullmatch(token) else ""


def sent_a_bearer_token(request):
    return bearer_token(request) is not None


class OAuth2Authentication(Scheme):
    @sensitive_variables("token")
    def credentials(self, request):
        token = bearer_token(request)
        if token is None:
            return None
        if not token:
            raise InvalidCredentials()
        snapshot_name = bearer_snapshot_name(token)
        rate = TaggedRateCounts(client_key_part=CLIENT_KEY_NAME, account_part=ACCOUNT)
        found, names = fetch_by_tag(snapshot=snapshot_name, tagged_snapshots=[CONSUMER_BY_TAG],
                                    tagged_counters=rate.names)
        consumer, access_token = bearer_credentials(token, found=found, names=names)
        if access_token is None:
            raise InvalidCredentials()
        user = acting_user(consumer, access_token)
        refuse_if(gate(client=consumer, user=user, scheme=OAUTH2))
        if names:  # else (cold, or no Redis) the throttle reads and counts them itself
            rate.read_from(request, found, username=user.get_username(), client_key=consumer.client_id,
                           names=names)
        consumer_mark_used(consumer=consumer)
        credentials = ApiCredentials(scheme=OAUTH2, consumer=consumer, scopes=tuple(access_token.scopes),
                                     token=access_token)
        return user, credentials

    def authenticate_header(self, request):
        """RFC 6750 §3.1: the error code only when a token was sent (none for a request without one)."""
        return f'{REALM}, error="invalid_token"' if sent_a_bearer_token(request) else REALM

    def refusal_challenge(self, request, refusal):
        """For a 403 of a request this scheme authenticated: RFC 6750's insufficient_scope."""
        if isinstance(refusal, InsufficientScope):
            return f'{REALM}, error="insufficient_scope", scope="{refusal.scope}"'
        return ""
