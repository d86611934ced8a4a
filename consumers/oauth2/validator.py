"""django-oauth-toolkit's validator for our clients: a storage adapter, and nothing else.

It finds a client by its key (the same cached lookup as Basic and OAuth 1.0a, with the owner's account
state), checks the client secret against the secrets in force (our readable secret, compared in
constant time; during a rotation's overlap the previous one too, as for OAuth 1.0a), and loads and
stores grants and tokens through the toolkit's public hooks. Whether a client or user may go on is the
gate's (`consumers.oauth2.policy`); whether a token is active now is `consumers.oauth2.selectors`';
that a code or a refresh token gives tokens once is `consumers.oauth2.redemption`'s.
"""
import base64
import binascii
import hmac
from urllib.parse import unquote_plus

from django.db import transaction
from oauth2_provider import oauth2_validators
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from consumers.lookup_cache import key_digest
from consumers.oauth2 import redemption
from consumers.oauth2.device import AUTHORIZED, device_code_poll
from consumers.oauth2.selectors import access_token_claims, refresh_token_claims, refresh_token_family_of
from consumers.selectors import consumer_get_by_key
from consumers.services import consumer_secret_mark_used

BASIC = "basic "
# Compared against when the client is unknown, so an unknown key costs what a wrong secret costs.
DUMMY_SECRET = "x" * 43
AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS = "authorization_code", "refresh_token", "client_credentials"
NOT_THE_REDIRECT_URI = "redirect_uri must be the one the authorization request named."


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    # --- Clients: every one is confidential, and authenticates -------------------------------------

    def validate_client_id(self, client_id, request, *args, **kwargs):
        return _client(client_id, request) is not None

    def client_authentication_required(self, request, *args, **kwargs):
        return True  # every client is confidential (`Consumer.client_type`)

    def authenticate_client_id(self, client_id, request, *args, **kwargs):
        return False  # a client that does not authenticate is no client of ours

    def authenticate_client(self, request, *args, **kwargs):
        """RFC 6749 §2.3.1: the client key and secret in HTTP Basic (preferred) or in the body."""
        client_id, secret = basic_credentials(request.headers.get("Authorization", ""))
        if client_id is None:
            client_id = getattr(request, "client_id", None)
            secret = getattr(request, "client_secret", None)
        if not client_id or not isinstance(secret, str):
            return False
        client = _client(client_id, request)
        in_force = client.secrets_in_force() if client is not None else (DUMMY_SECRET,)
        # Every secret in force is compared, matched or not: the time taken says nothing.
        matches = [hmac.compare_digest(secret.encode(), candidate.encode()) for candidate in in_force]
        if client is None or not any(matches):
            return False
        consumer_secret_mark_used(consumer=client, which=matches.index(True))  # writes only when due
        return True

    # --- Authorization codes: loaded once per token request, spent with the tokens' save -----------

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        super().save_authorization_code(client_id, code, request, *args, **kwargs)
        if "redirect_uri" not in dict(request.uri_query_params):
            redemption.authorization_code_without_redirect_uri(code["code"])

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        """The code's user and scopes onto the request; an unknown code may be one used before, whose
        tokens then end."""
        grant = redemption.authorization_code_get(code=code, client=client)
        if grant is None:
            redemption.authorization_code_reuse_end(code)
            return False
        request.authorization_code = grant
        request.scopes, request.user = grant.scope.split(" "), grant.user
        return True

    def get_code_challenge(self, code, request):
        return request.authorization_code.code_challenge or None

    def get_code_challenge_method(self, code, request):
        return request.authorization_code.code_challenge_method or None

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, request, *args, **kwargs):
        """RFC 6749 §4.1.3: the redirect URI the authorization request named, exactly, or none if it
        named none; else the code is no good for this request (`invalid_grant`, §5.2)."""
        named = request.authorization_code.redirect_uri
        if named and not request.using_default_redirect_uri and named == redirect_uri:
            return True
        if not named and (request.using_default_redirect_uri or redirect_uri == client.default_redirect_uri):
            return True
        raise InvalidGrantError(description=NOT_THE_REDIRECT_URI, request=request)

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        """Nothing left to do: `save_bearer_token` spent the code in the transaction that stored its
        tokens."""

    # --- Tokens ------------------------------------------------------------------------------------

    def save_bearer_token(self, token, request, *args, **kwargs):
        """The toolkit's save, in one transaction with spending what the tokens are made from (a
        code, a refresh token: once), and with what is ours: client credentials act as the client's
        owner, like Basic (the toolkit would leave the token without a user); a code's tokens are its
        family."""
        with transaction.atomic():
            if request.grant_type == AUTHORIZATION_CODE:
                redemption.authorization_code_spend(request)
            elif request.grant_type == REFRESH_TOKEN:
                redemption.refresh_token_claim(request)
            super().save_bearer_token(token, request, *args, **kwargs)
            if request.grant_type == CLIENT_CREDENTIALS:
                get_access_token_model().objects.filter(token_checksum=key_digest(token["access_token"])).update(
                    user=request.client.user)
            elif request.grant_type == AUTHORIZATION_CODE:
                redemption.authorization_code_tokens_name(request, token)

    def revoke_token(self, token, token_type_hint, request, *args, **kwargs):
        """RFC 7009 §2.1: revoking a refresh token, the live one or one already rotated, ends every
        token of its grant; an access token ends with its refresh token (the toolkit's way)."""
        family = refresh_token_family_of(token, client=request.client)
        super().revoke_token(token, token_type_hint, request, *args, **kwargs)
        if family is not None:
            get_refresh_token_model().revoke_family(family)

    def validate_device_code(self, client_id, code, request, *args, **kwargs):
        """RFC 8628 §3.5: where the authenticated client's device code stands; once approved, the user
        and scopes the tokens are for."""
        status, grant = device_code_poll(client_id=request.client.client_id, device_code=code)
        if status == AUTHORIZED:
            request.user, request.scopes, request.device_grant = grant.user, grant.scope.split(), grant
        return status

    def introspect_token(self, token, token_type_hint, request, *args, **kwargs):
        """RFC 7662 claims of an access or refresh token of the asking client that works now, else
        None (inactive). The hint says which kind to look for first (§2.1)."""
        readers = [access_token_claims, refresh_token_claims]
        if token_type_hint == REFRESH_TOKEN:
            readers.reverse()
        for claims_of in readers:
            claims = claims_of(token, client=request.client)
            if claims is not None:
                return claims
        return None


def _client(client_id, request):
    """The client with this key, revoked or not (the gate says why it may not be used), or None;
    loaded once per request, onto it."""
    client = request.client
    if client is not None and getattr(client, "client_id", None) == client_id:
        return client
    # A key no database can hold is no client's: `consumer_get_by_key` does not ask (`access.storable`).
    client = consumer_get_by_key(client_id) if isinstance(client_id, str) else None
    request.client = client
    return client


def basic_credentials(authorization):
    """(client key, secret) from an HTTP Basic header, form-decoded (RFC 6749 §2.3.1), or (None, None)."""
    if authorization[:len(BASIC)].lower() != BASIC:
        return None, None
    try:
        decoded = base64.b64decode(authorization[len(BASIC):].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return None, None
    return unquote_plus(client_id), unquote_plus(secret)
