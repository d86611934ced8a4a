"""Migration without re-consent at `/oauth2/token` (RFC 8693 token exchange), for the token endpoint
(`apiv2.oauth2_endpoints`): a request signed with OAuth 1.0a by a client and its access token gets an
OAuth 2.0 token pair for the same user and scopes, and the OAuth 1.0a token ends with it.

The OAuth 1.0a signature is the client's and the subject's authentication: the request is read and
verified by the OAuth 1.0a bridge exactly as a signed API request is (timestamp window, nonce once,
HMAC-SHA1, or PLAINTEXT only over HTTPS), the gate is asked as for any token, the client key's rate
limit counts it, then `consumers.oauth2.exchange` swaps the tokens in one transaction. Answers are
the OAuth 2.0 endpoints' (`apiv2.oauth2_errors`).
"""
import hmac

from access.client_address import client_address
from access.refusals import InvalidCredentials, MalformedRequest, refuse_if
from access.store.nonces import nonce_claim
from apiv2.oauth2_errors import no_store_response, oauth2_error_response
from apiv2.schemes.oauth1 import CHALLENGE, oauth1_gate
from apiv2.throttling import throttle_client_key
from consumers.oauth1 import bridge
from consumers.oauth1.nonces import claim_refusal
from consumers.oauth2.exchange import ACCESS_TOKEN_TYPE, GRANT_TYPE, oauth1_access_token_exchange

UNSIGNED = ("The token exchange is signed with OAuth 1.0a by the client and the access token it "
            "exchanges (subject_token).")
SINGLE = ("grant_type", "subject_token", "subject_token_type", "requested_token_type", "scope")


def is_token_exchange(request):
    return request.POST.get("grant_type") == GRANT_TYPE


def token_exchange_response(request):
    """The answer to an RFC 8693 token exchange of an OAuth 1.0a access token (a Django request)."""
    try:
        consumer, access_token, oauth_request = _verified(request)
        # The gate, in OAuth 1.0a's words: a deactivated user's token reads like any bad credentials.
        refuse_if(oauth1_gate(client=consumer, user=access_token.user))
    except InvalidCredentials as refusal:  # the client did not authenticate (RFC 6749 §5.2)
        return _unauthenticated(refusal)
    throttle_client_key(request, consumer)
    params = _parameters(oauth_request)
    refuse_if(_subject_refusal(params, access_token))
    scopes = access_token.scope_list
    if params.get("scope") is not None:
        asked = params["scope"].split()
        if not asked or not set(asked) <= set(scopes):
            return oauth2_error_response(400, "invalid_scope",
                                         f"scope may only name scopes the access token holds: {' '.join(scopes)}.")
        scopes = [name for name in scopes if name in asked]
    try:
        token = oauth1_access_token_exchange(access_token=access_token, scopes=scopes,
                                             uri=request.build_absolute_uri(), ip=client_address(request))
    except InvalidCredentials as refusal:  # another exchange of this token won meanwhile
        return _unauthenticated(refusal)
    return no_store_response({
        "access_token": token["access_token"],
        "issued_token_type": ACCESS_TOKEN_TYPE,
        "token_type": "Bearer",
        "expires_in": token["expires_in"],
        "scope": token["scope"],
        "refresh_token": token["refresh_token"],
    })


def _unauthenticated(refusal):
    return oauth2_error_response(401, "invalid_client", refusal.additional, {"WWW-Authenticate": CHALLENGE},
                                 message=refusal.message, additional=refusal.additional)


def _verified(request):
    """(client, OAuth 1.0a access token, oauthlib request) of a request whose OAuth 1.0a signature is
    good and whose nonce is fresh: the checks of a signed API request, in its order."""
    oauth_request = bridge.read(request)
    if oauth_request is None:
        raise InvalidCredentials(UNSIGNED)
    replay_guard = bridge.check_resource_request(oauth_request)
    consumer, access_token = bridge.verify_resource_request(oauth_request)
    refuse_if(claim_refusal(nonce_claim(replay_guard)))
    return consumer, access_token, oauth_request


def _parameters(oauth_request):
    """The exchange's parameters, from the signed form body or query; each at most once (RFC 6749 §3.2)."""
    params = {}
    for name, value in oauth_request.params:
        if name in SINGLE:
            if name in params:
                raise MalformedRequest(f"{name} may be given once.")
            params[name] = value
    return params


def _subject_refusal(params, access_token):
    """RFC 8693 §2.1's parameters for an OAuth 1.0a access token: the token that signed is the subject."""
    subject = params.get("subject_token") or ""
    if not hmac.compare_digest(subject.encode("utf-8", "surrogatepass"), access_token.key.encode()):
        return MalformedRequest("subject_token must be the access token (oauth_token) the request is signed with.")
    if params.get("subject_token_type") != ACCESS_TOKEN_TYPE:
        return MalformedRequest(f"subject_token_type must be {ACCESS_TOKEN_TYPE}.")
    if params.get("requested_token_type", ACCESS_TOKEN_TYPE) != ACCESS_TOKEN_TYPE:
        return MalformedRequest(f"requested_token_type, when given, must be {ACCESS_TOKEN_TYPE}.")
    return None
