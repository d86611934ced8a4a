"""Our oauthlib `RequestValidator`: a storage adapter between oauthlib and our selectors and services.

It holds no rules. What oauthlib asks ("is this key known?", "what is its secret?") it answers from
storage, remembering what it loaded on the oauthlib request so that the gate (`consumers.gate`) and our
OAuth rules (`consumers.oauth1.policy`) can judge it once the signature has been checked. The formats
below say what well-formed keys and nonces look like (checked by `protocol_rules`).

Unknown clients and tokens go through oauthlib's dummy paths: each lookup runs the same query and the
signature is computed with a dummy secret, so the answer time does not reveal which keys exist.

The authorize page is not an OAuth-signed request, so oauthlib's `AuthorizationEndpoint` (and the
validator methods only it calls) are not used: see `consumers.oauth1.views`.
"""
import hmac
import string

from django.views.decorators.debug import sensitive_variables
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT, RequestValidator

from consumers.oauth1 import selectors, services
from consumers.oauth1.nonces import timestamp_refusal
from consumers.oauth1.tokens import generate_token, oob_verifier_as_stored
from consumers.selectors import consumer_get_by_key

# RFC 3986 unreserved characters: what real clients put in nonces, and what our keys are made of.
UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")

# Same shape as real credentials; no stored client or token can have these (they are per process).
DUMMY_CLIENT = generate_token()
DUMMY_REQUEST_TOKEN = generate_token()
DUMMY_ACCESS_TOKEN = generate_token()
DUMMY_SECRET = generate_token()
DUMMY_VERIFIER = generate_token()


class OAuth1Validator(RequestValidator):
    # --- Formats: what real clients send and what we generate ----------------------------------

    allowed_signature_methods = (SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT)
    safe_characters = UNRESERVED
    client_key_length = (16, 100)
    request_token_length = (16, 64)
    access_token_length = (16, 64)
    verifier_length = (10, 64)  # oob: ten characters (`tokens.generate_oob_verifier`), maybe grouped
    # RFC 5849 sets no length: PyPI `oauth2` sends 5-8 digits, others 32 hex digits or 42 characters.
    nonce_length = (1, 255)

    # HMAC-SHA1 is fine over HTTP (production redirects to HTTPS anyway); the PLAINTEXT rule
    # depends on DEBUG and the request, so `policy.plaintext_refusal` applies it in the bridge.
    enforce_ssl = False

    # The window is the nonce store's (`nonces.WINDOW_SECONDS`), which refuses a stale timestamp
    # with 401 as RFC 5849 §3.2 asks; oauthlib's own check would answer 400.
    timestamp_lifetime = 10**10

    dummy_client = DUMMY_CLIENT
    dummy_request_token = DUMMY_REQUEST_TOKEN
    dummy_access_token = DUMMY_ACCESS_TOKEN

    def check_realms(self, realms):
        """`realm` is an RFC 2617 protection-space hint, not a scope: accepted and ignored."""
        return True

    # --- Nonces ------------------------------------------------------------------------------------

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        """The timestamp only: the bridge records the nonce once the signature is known good
        (`nonces.nonce_record`), so that unknown clients cannot fill the replay store."""
        request.nonce_refusal = timestamp_refusal(timestamp)
        return request.nonce_refusal is None

    # --- Clients -----------------------------------------------------------------------------------

    def validate_client_key(self, client_key, request):
        """Known, revoked or not: a revoked key is refused by the gate (`consumers.gate`) after the
        signature check, with the contract's 403 rather than a 401."""
        request.consumer = consumer_get_by_key(client_key)
        return request.consumer is not None

    @sensitive_variables()
    def get_client_secret(self, client_key, request):
        """The current secret, or the previous one in its overlap when the bridge asks for it
        (`client_secret_choice`, see `Consumer.secrets_in_force`)."""
        consumer = getattr(request, "consumer", None)
        if consumer is not None and consumer.client_id == client_key:
            secrets = consumer.secrets_in_force()
            return secrets[min(getattr(request, "client_secret_choice", 0), len(secrets) - 1)]
        return DUMMY_SECRET

    # --- Request tokens ----------------------------------------------------------------------------

    def validate_requested_realms(self, client_key, realms, request):
        """Scopes come in our own `scope` parameter (`policy.granted_scopes`), not in realms."""
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        """Checked by `policy.callback_refusal` once the request is authenticated."""
        return True

    def get_default_realms(self, client_key, request):
        return []

    def save_request_token(self, token, request):
        services.request_token_create(
            consumer=request.consumer,
            key=token["oauth_token"],
            secret=token["oauth_token_secret"],
            callback=request.redirect_uri,
            scopes=request.scopes,
        )

    def validate_request_token(self, client_key, token, request):
        request.request_token = selectors.request_token_get(consumer_key=client_key, key=token)
        return request.request_token is not None

    @sensitive_variables()
    def get_request_token_secret(self, client_key, token, request):
        request_token = getattr(request, "request_token", None)
        if request_token is not None and request_token.key == token:
            return request_token.secret
        return DUMMY_SECRET

    @sensitive_variables()
    def validate_verifier(self, client_key, token, verifier, request):
        request_token = getattr(request, "request_token", None)
        expected = request_token.verifier if request_token is not None else ""
        if request_token is not None and request_token.is_oob:  # typed by a person, as shown or not
            verifier = oob_verifier_as_stored(verifier)
        # Compared even when there is nothing to compare with, to keep the time the same.
        matches = hmac.compare_digest((expected or DUMMY_VERIFIER).encode(), verifier.encode())
        return matches and bool(expected) and request_token.key == token

    def get_realms(self, token, request):
        """The token's scopes; the bridge reports them as `scope`, never as oauthlib's
        `oauth_authorized_realms` (strict clients refuse an `oauth_` parameter RFC 5849 does not define)."""
        return request.request_token.scope_list

    def save_access_token(self, token, request):
        request.access_token = services.access_token_issue(
            request_token=request.request_token,
            key=token["oauth_token"],
            secret=token["oauth_token_secret"],
        )

    def invalidate_request_token(self, client_key, request_token, request):
        """Nothing left to do: `access_token_issue` spent it in the same transaction."""

    # --- Access tokens -----------------------------------------------------------------------------

    def validate_access_token(self, client_key, token, request):
        """A request token is never found here: it is a different kind of token."""
        request.access_token = selectors.access_token_get(consumer_key=client_key, key=token)
        return request.access_token is not None

    @sensitive_variables()
    def get_access_token_secret(self, client_key, token, request):
        access_token = getattr(request, "access_token", None)
        if access_token is not None and access_token.key == token:
            return access_token.secret
        return DUMMY_SECRET

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        """Scopes are enforced per view by the API layer."""
        return True
