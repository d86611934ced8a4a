"""Reads of OAuth 2.0 tokens, which are stored as SHA-256 checksums only (django-oauth-toolkit's
`token_checksum`, with COMPLIANT_BCP_RFC9700_TOKEN_STORAGE): a token is found by its checksum."""
import calendar

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model, refresh_token_expire_timedelta

from access.storable import storable
from consumers.gate import OAUTH2, gate
from consumers.lookup_cache import key_digest


def access_token_get(token_value):
    """The unexpired access token with this value, with its client, the client's owner and its user;
    or None."""
    if not _searchable(token_value):
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


def refresh_token_claims(token_value, *, client):
    """RFC 7662's claims for a refresh token of `client` that would refresh now (not revoked nor
    rotated, its grant not ended, not past its lifetime, and the gate lets its client and user
    through), else None. `exp` is when it stops working unless used."""
    if not _searchable(token_value) or client is None:
        return None
    token = (
        get_refresh_token_model().objects
        .select_related("application", "application__user", "user", "access_token")
        .filter(token_checksum=key_digest(token_value), application_id=client.pk, revoked__isnull=True,
                access_token__isnull=False)
        .first()
    )
    if token is None:
        return None
    lifetime = refresh_token_expire_timedelta()
    expires = token.access_token.expires + lifetime if lifetime else None
    if expires is not None and expires <= timezone.now():
        return None
    if gate(client=token.application, user=token.user, scheme=OAUTH2) is not None:
        return None
    claims = {
        "scope": token.access_token.scope,
        "client_id": token.application.client_id,
        "username": token.user.get_username(),
        "iat": calendar.timegm(token.created.utctimetuple()),
    }
    if expires is not None:
        claims["exp"] = calendar.timegm(expires.utctimetuple())
    return claims


def refresh_token_family_of(token_value, *, client):
    """The grant (django-oauth-toolkit's token family) of a refresh token of `client`, live or
    already rotated or revoked; None for any other text."""
    if not _searchable(token_value) or client is None or getattr(client, "pk", None) is None:
        return None
    return (get_refresh_token_model().objects
            .filter(token_checksum=key_digest(token_value), application_id=client.pk, token_family__isnull=False)
            .values_list("token_family", flat=True).first())


def _searchable(token_value):
    return isinstance(token_value, str) and bool(token_value) and storable(token_value)


# OAuth 2.0 tokens keep no grant type; what they came from, in words, as far as they tell it.
AUTHORIZATION_CODE = "authorization code"
DEVICE_OR_EXCHANGE = "device code or token exchange"
CLIENT_CREDENTIALS = "client credentials"


def client_live_tokens(client):
    """(grant type in words, scope names, user id or None, "access" or "refresh") of each OAuth 2.0
    token of `client` that works now: unexpired access tokens, and refresh tokens neither revoked nor
    rotated. A token without a user is client credentials; one whose refresh token belongs to a family
    an authorization code named (`redemption.code_family`, a name-based UUID; django-oauth-toolkit's
    own families are random) came from a code; any other acting for a user, from a device code or a
    token exchange."""
    access = (get_access_token_model().objects.filter(application=client, expires__gt=timezone.now())
              .values_list("user_id", "scope", "refresh_token__token_family"))
    refresh = (get_refresh_token_model().objects.filter(application=client, revoked__isnull=True)
               .values_list("user_id", "access_token__scope", "token_family"))
    return ([(_grant_type(user_id, family), tuple(sorted((scope or "").split())), user_id, "access")
             for user_id, scope, family in access]
            + [(_grant_type(user_id, family), tuple(sorted((scope or "").split())), user_id, "refresh")
               for user_id, scope, family in refresh])


def _grant_type(user_id, family):
    if user_id is None:
        return CLIENT_CREDENTIALS
    return AUTHORIZATION_CODE if family is not None and family.version == 5 else DEVICE_OR_EXCHANGE
