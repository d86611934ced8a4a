"""The OAuth 2.0 rules that are ours rather than the RFCs': PKCE with S256 only (and a challenge of
its form), and the gate asked before any token is issued. Hooks for oauthlib's grant types
(`consumers.oauth2.server`)."""
import re

from oauthlib.oauth2.rfc6749.errors import InvalidRequestError, MissingCodeChallengeError

from access.refusals import refuse_if
from consumers.gate import OAUTH2, gate

S256 = "S256"
# RFC 7636 §4.2: BASE64URL(SHA256(verifier)) without padding is 43 characters of the base64url alphabet.
S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
CLIENT_CREDENTIALS = "client_credentials"


def pkce_s256_only(request):
    """An authorization request must carry a PKCE challenge made with S256: "plain" would send the
    verifier itself through the browser. Refused back to the client, before the consent page."""
    if request.code_challenge is None:
        raise MissingCodeChallengeError(request=request)
    if request.code_challenge_method != S256:
        raise InvalidRequestError(description="code_challenge_method must be S256.", request=request)
    if not S256_CHALLENGE.fullmatch(request.code_challenge):  # no verifier could ever match it
        raise InvalidRequestError(description="code_challenge must be the 43-character base64url encoding "
                                              "of a SHA-256 digest (RFC 7636 §4.2).", request=request)
    return {}


def acting_user(request):
    """Whose account a token request acts for: the client's owner with client credentials (as with
    Basic), else the user who approved the grant (None while a device code is still pending)."""
    if request.grant_type == CLIENT_CREDENTIALS:
        return request.client.user
    return request.user


def token_gate(request):
    """Before any token is issued, the gate (`consumers.gate`) is asked as for OAuth 1.0a's access-token
    step; a refusal leaves the grant or refresh token as it was and answers in our words."""
    refuse_if(gate(client=request.client, user=acting_user(request), scheme=OAUTH2))
