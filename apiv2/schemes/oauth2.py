"""OAuth 2.0 Bearer tokens on `/v2` (RFC 6750 §2.1, the `Authorization` header): the token's user (or,
for client credentials, the client's owner), through the token's client, with the token's scopes.

Read the header -> the token (known, not expired; revoked tokens are deleted, so unknown) and its
client from their snapshots in the shared store (one read: `bearer_tokens`), or one query -> the gate
-> the credentials record.
RFC 6750 §3's details ride on our answers: a 401 for a Bearer token says
`error="invalid_token"`, a missing scope `error="insufficient_scope"` with the scope.
"""
import re

from django.views.decorators.debug import sensitive_variables

from access.credentials import ApiCredentials
from access.refusals import InsufficientScope, InvalidCredentials, refuse_if
from access.store.reads import fetch
from apiv2.schemes import Scheme, authorization_words
from consumers.gate import OAUTH2, gate
from consumers.oauth2.bearer_tokens import acting_user, bearer_credentials, bearer_snapshot_names
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
        consumer, access_token = bearer_credentials(token, found=fetch(snapshots=bearer_snapshot_names(token)))
        if access_token is None:
            raise InvalidCredentials()
        user = acting_user(consumer, access_token)
        refuse_if(gate(client=consumer, user=user, scheme=OAUTH2))
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
