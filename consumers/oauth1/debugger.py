"""The signature debugger of a developer's app page: a request as the developer's client sends it,
read and signed step by step the way the verifier does (`bridge.read_parts`, `bridge.signature_base_string`,
`bridge.signatures_match` with every secret in force, the timestamp window of `nonces.timestamp_refusal`),
so what it shows is what the service computes and decides. Secrets are used, never returned."""
from dataclasses import dataclass
from urllib.parse import urlsplit

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1
from oauthlib.oauth1.rfc5849 import signature

from access.refusals import Refusal
from consumers.oauth1 import bridge, selectors
from consumers.oauth1.hmac_sha1 import hmac_sha1_signature
from consumers.oauth1.nonces import timestamp_refusal
from consumers.oauth1.protocol_rules import header_parameters, mandatory_violation
from consumers.oauth1.validator import OAuth1Validator

TRANSPORTS = {"header": "Authorization header", "body": "form-encoded body", "query": "query string"}
# Which secret in force (`Consumer.secrets_in_force`, in its order) a matching signature was made with.
SECRET_NAMES = ("current", "previous")


@dataclass(frozen=True)
class SignatureSteps:
    problem: str = ""  # what stops the computation, in the service's words
    transport: str = ""
    parameters: tuple = ()  # (name, value) decoded, oauth_signature left out
    normalized_parameters: str = ""
    base_string_uri: str = ""
    base_string: str = ""
    signature_method: str = ""
    token_found: bool = False
    expected_signature: str = ""  # HMAC-SHA1 only: a PLAINTEXT signature is the secrets themselves
    sent_signature: str = ""
    matches: bool = False
    matched_secret: str = ""  # "current" or "previous" (during a rotation's overlap): the one it matched
    server_refusal: str = ""  # what the server would refuse beyond the signature, in the server's words

    @property
    def accepted(self):
        return self.matches and not self.server_refusal


def signature_steps(*, consumer, method, url, authorization="", body=""):
    """What the service computes for `method url` with `authorization` and a form-encoded `body`,
    signed by `consumer` (and the token it names, when that token belongs to `consumer`)."""
    parts = urlsplit(url)
    try:
        oauth_request = bridge.read_parts(uri=url, method=method.upper(), authorization=authorization,
                                          query=parts.query, body=body, secure=True)
    except Refusal as refusal:
        return SignatureSteps(problem=refusal.additional or refusal.message)
    if oauth_request is None:
        return SignatureSteps(problem="No oauth_ parameters in the header, the body or the query.")
    violation = mandatory_violation(oauth_request, OAuth1Validator())
    if violation is not None:
        return SignatureSteps(problem=violation.additional)
    if oauth_request.client_key != consumer.client_key:
        return SignatureSteps(problem="oauth_consumer_key is not this app's client key.")
    transport = next(name for name, found in (
        ("header", header_parameters(authorization)), ("body", _has_oauth(body)),
        ("query", _has_oauth(parts.query))) if found)
    token_secret, token_found = _token_secret(consumer, oauth_request.resource_owner_key)
    try:
        base_string = bridge.signature_base_string(oauth_request)
    except Refusal as refusal:
        return SignatureSteps(problem=refusal.additional)
    # The verifier's own comparison, with each secret the server accepts now, in the same order.
    in_force = consumer.secrets_in_force()
    matches = bridge.signatures_match(oauth_request, in_force, token_secret)
    matched = next((index for index, match in enumerate(matches) if match), None)
    hmac_sha1 = oauth_request.signature_method == SIGNATURE_HMAC_SHA1
    # The signature shown is the one made with the secret that matched, else with the current one.
    expected = hmac_sha1_signature(base_string, in_force[matched or 0], token_secret) if hmac_sha1 else ""
    refusal = timestamp_refusal(oauth_request.timestamp)
    return SignatureSteps(
        transport=TRANSPORTS[transport],
        parameters=tuple(sorted(oauth_request.params)),
        normalized_parameters=signature.normalize_parameters(oauth_request.params),
        base_string_uri=signature.base_string_uri(oauth_request.uri),
        base_string=base_string,
        signature_method=oauth_request.signature_method,
        token_found=token_found,
        expected_signature=expected,
        sent_signature=oauth_request.signature if hmac_sha1 else "",
        matches=matched is not None,
        matched_secret=SECRET_NAMES[matched] if matched is not None else "",
        server_refusal=(refusal.additional or refusal.message) if refusal is not None else "",
    )


def _has_oauth(text):
    return "oauth_" in text


def _token_secret(consumer, token_key):
    """The secret of this client's access or request token named `token_key`: ("", False) when none."""
    if not token_key:
        return "", False
    token = (selectors.access_token_get(consumer_key=consumer.client_key, key=token_key)
             or selectors.request_token_get(consumer_key=consumer.client_key, key=token_key))
    return (token.secret, True) if token is not None else ("", False)
