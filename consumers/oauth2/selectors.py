"""Reads of OAuth 2.0 tokens, which are stored as SHA-256 checksums only (django-oauth-toolkit's
`token_checksum`, with COMPLIANT_BCP_RFC9700_TOKEN_STORAGE): a token is found by its checksum."""
import calendar

from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from consumers.gate import OAUTH2, gate
from consumers.lookup_cache import key_digest


def access_token_get(token_value):
    """The unexpired access token with this value, with its client, the client's owner and its user;
    or None."""
    if not isinstance(token_value, str) or not token_value:
        return None
    return (
        get_access_token_model().objects
        .select_related("application", "application__user", "user")
        .filter(token_checksum=key_digest(token_value), expires__gt=timezone.now())
        .first()
    )


def access_token_claims(token_value, *, client):
    """RFC 7662's claims for an access token of `client` that works now (unexpired, and the gate lets
    its client and user through), else None: a client learns nothing of another client's tokens."""
    token = access_token_get(token_value)
    if token is None or client is None or token.application_id != client.pk:
        return None
    if gate(client=token.application, user=token.user, scheme=OAUTH2) is not None:
        return None
    return {
        "scope": token.scope,
        "client_id": token.application.client_id,
        "username": token.user.get_username() if token.user is not None else None,
        "token_type": "Bearer",
        "exp": calendar.timegm(token.expires.utctimetuple()),
        "iat": calendar.timegm(token.created.utctimetuple()),
    }
