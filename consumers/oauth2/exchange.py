"""Migration without re-consent (RFC 8693 token exchange): an OAuth 1.0a access token becomes an OAuth
2.0 token pair for the same client, user and scopes, in one database transaction.

One grant, not two: the OAuth 1.0a token is revoked by the same transaction that stores its successor,
so when issuing fails nothing changed and the OAuth 1.0a token still works; and the revocation is a
conditional update, so of two racing exchanges of one token one wins and the other is refused.
The caller has verified the OAuth 1.0a signature (`consumers.oauth1.bridge`) and asked the gate.
"""
from django.db import transaction
from django.utils import timezone
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.common import Request

from access.refusals import InvalidCredentials
from audit.models import AuditEvent
from audit.services import audit_record
from consumers.lookup_cache import ACCESS_TOKEN, forget
from consumers.oauth1.bridge import INVALID
from consumers.oauth1.models import AccessToken

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"


@transaction.atomic
def oauth1_access_token_exchange(*, access_token, scopes, uri, ip=None):
    """The OAuth 2.0 token (oauthlib's dict: access and refresh token, `expires_in`, `scope`) that
    replaces `access_token`, now revoked. `scopes`: the token's, or fewer if the client asked for
    fewer. `InvalidCredentials` when the token was revoked meanwhile (another exchange won)."""
    revoked = AccessToken.objects.live().filter(pk=access_token.pk).update(revoked_at=timezone.now())
    if not revoked:
        raise InvalidCredentials(INVALID)
    forget(ACCESS_TOKEN, [access_token.key])  # raises when the store cannot forget: all is undone
    token = bearer_pair_issue(client=access_token.consumer, user=access_token.user, scopes=scopes, uri=uri)
    # The client did this, with the user's earlier consent: no person is the actor.
    audit_record(action=AuditEvent.Action.TOKEN_REVOKED, actor=None, ip=ip, subject=access_token.consumer.client_id,
                 detail={"user": access_token.user.get_username(), "access_token_id": access_token.pk,
                         "exchanged_for": "OAuth 2.0", "scopes": list(scopes)})
    return token


def bearer_pair_issue(*, client, user, scopes, uri):
    """An access and a refresh token made and stored as django-oauth-toolkit makes them for any
    grant (its server's token generator and lifetime, its validator's `save_bearer_token`)."""
    server = get_oauthlib_core().server
    request = Request(uri, http_method="POST")
    request.client, request.client_id, request.user = client, client.client_id, user
    request.scopes, request.grant_type = list(scopes), GRANT_TYPE
    token = server.default_token_type.create_token(request, refresh_token=True)
    server.request_validator.save_bearer_token(token, request)
    return token
