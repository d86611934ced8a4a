"""django-oauth-toolkit's validator for our clients: a storage adapter, and nothing else.

It finds a client by its key (the same cached lookup as Basic and OAuth 1.0a, with the owner's account
state), checks the client secret against the secrets in force (our readable secret, compared in
constant time; during a rotation's overlap the previous one too, as for OAuth 1.0a), and loads and
stores grants and tokens through the toolkit. Whether a client or user may go on is the gate's
(`consumers.oauth2.policy`); whether a token is active now is `consumers.oauth2.selectors`'.
"""
import base64
import binascii
import hmac
from urllib.parse import unquote_plus

from oauth2_provider import oauth2_validators

from consumers.oauth2.device import AUTHORIZED, device_code_poll
from consumers.oauth2.selectors import access_token_claims
from consumers.selectors import consumer_get_by_key

BASIC = "basic "
# Compared against when the client is unknown, so an unknown key costs what a wrong secret costs.
DUMMY_SECRET = "x" * 43


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    def _load_application(self, client_id, request):
        """The client with this key, revoked or not (the gate says why it may not be used), or None."""
        client = request.client
        if client is not None and getattr(client, "client_id", None) == client_id:
            return client
        # A key no database can hold is no client's: `consumer_get_by_key` does not ask (`access.storable`).
        client = consumer_get_by_key(client_id) if isinstance(client_id, str) else None
        request.client = client
        return client

    def authenticate_client(self, request, *args, **kwargs):
        """RFC 6749 §2.3.1: the client key and secret in HTTP Basic (preferred) or in the body."""
        client_id, secret = _basic_credentials(request.headers.get("Authorization", ""))
        if client_id is None:
            client_id = getattr(request, "client_id", None)
            secret = getattr(request, "client_secret", None)
        if not client_id or not isinstance(secret, str):
            return False
        client = self._load_application(client_id, request)
        in_force = client.secrets_in_force() if client is not None else (DUMMY_SECRET,)
        # Every secret in force is compared, matched or not: the time taken says nothing.
        matches = [hmac.compare_digest(secret.encode(), candidate.encode()) for candidate in in_force]
        return client is not None and any(matches)

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        """Client credentials act as the client's owner, like Basic: the token is the owner's (the
        toolkit would leave it without a user)."""
        if request.grant_type == "client_credentials":
            request.user = request.client.user
        return super()._create_access_token(expires, request, token, source_refresh_token)

    def validate_device_code(self, client_id, code, request, *args, **kwargs):
        """RFC 8628 §3.5: where the authenticated client's device code stands; once approved, the user
        and scopes the tokens are for."""
        status, grant = device_code_poll(client_id=request.client.client_id, device_code=code)
        if status == AUTHORIZED:
            request.user, request.scopes, request.device_grant = grant.user, grant.scope.split(), grant
        return status

    def introspect_token(self, token, token_type_hint, request, *args, **kwargs):
        """RFC 7662 claims of an access token of the asking client that works now, else None (inactive)."""
        return access_token_claims(token, client=request.client)


def _basic_credentials(authorization):
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

