"""The signature debugger of a developer's app page: a request as the developer's client sends it,
read and signed step by step the way the verifier does (`bridge.read_parts`, `bridge.signature_base_string`,
`bridge.signatures_match` with every secret in force), so what it shows is what the service computes and
decides. Beyond the signature it says what the server would refuse, asking the server's own rules in the
server's order: PLAINTEXT over plain HTTP (`policy.plaintext_refusal`), an API request's checks
(`bridge.resource_request_refusal`), the timestamp window (`nonces.timestamp_refusal`), a token that is not
this app's live one, and a nonce already used (`nonces.replay_refusal`: a look at the replay store, never a
claim, so the request can still be sent for real). Secrets are used, never returned."""
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1
from oauthlib.oauth1.rfc5849 import signature

from access.refusals import InvalidCredentials, Refusal
from consumers.oauth1 import bridge, selectors
from consumers.oauth1.hmac_sha1 import hmac_sha1_signature
from consumers.oauth1.nonces import replay_refusal, timestamp_refusal
from consumers.oauth1.policy import plaintext_refusal
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
    # What the server would refuse beyond the signature (`ServerRefusal`s), in the order it checks: it
    # answers with the first.
    server_refusals: tuple = ()

    @property
    def server_refusal(self):
        """The server's answer, in its words, when it would refuse the request whatever the signature."""
        return self.server_refusals[0].words if self.server_refusals else ""

    @property
    def accepted(self):
        return self.matches and not self.server_refusals


@dataclass(frozen=True)
class ServerRefusal:
    words: str  # the server's, as its answer's `additional` (or message) says them
    why: str = ""  # for the owner only: what the server's words do not tell a stranger


# Which endpoint a URL is, by its route's name: each takes its own token (RFC 5849 §2).
REQUEST_TOKEN_ENDPOINT, ACCESS_TOKEN_ENDPOINT = "oauth-request-token", "oauth-access-token"
SIGN_AGAIN = "Sign it again with the current time (oauth_timestamp in seconds since 1970, UTC) and a new oauth_nonce."
TOKEN_WHY = {
    (selectors.ACCESS, selectors.OTHER_APP): "The oauth_token is an access token of another app: a token works "
                                             "only with the app it was issued to.",
    (selectors.REQUEST, selectors.OTHER_APP): "The oauth_token is a request token of another app: a token works "
                                              "only with the app it was issued to.",
    (selectors.ACCESS, selectors.REVOKED): "This access token was revoked (by the person who authorized the app, "
                                           "or with the app's other tokens): ask them to authorize the app again.",
    (selectors.REQUEST, selectors.EXPIRED): "This request token has expired: get a new one from /oauth/request_token.",
    (selectors.REQUEST, selectors.USED): "This request token was already exchanged for an access token, or the "
                                         "person denied it: get a new one from /oauth/request_token.",
    (selectors.REQUEST, selectors.LIVE): "This is a request token: API requests are signed with the access token "
                                         "/oauth/access_token gives for it.",
    (selectors.ACCESS, selectors.LIVE): "This is an access token: /oauth/access_token takes the request token the "
                                        "person authorized, with its verifier.",
}
UNKNOWN_TOKEN = "No token has this oauth_token: check that your client sends the token it was given."


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
        server_refusals=server_refusals(oauth_request, endpoint=_endpoint(parts.path),
                                        secure=parts.scheme.lower() == "https"),
    )


def server_refusals(oauth_request, *, endpoint, secure):
    """What the server would refuse in this request whatever its signature, in the order it checks (the
    first is its answer), each once: the server's rules asked as they are, changing nothing."""
    found = []
    for refusal, why in _refusals(oauth_request, endpoint, secure):
        if refusal is None:
            continue
        words = refusal.additional or refusal.message
        same = next((index for index, seen in enumerate(found) if seen.words == words), None)
        if same is None:
            found.append(ServerRefusal(words, why))
        elif why and not found[same].why:
            found[same] = ServerRefusal(words, why)
    return tuple(found)


def _refusals(oauth_request, endpoint, secure):
    """(refusal or None, why) pairs, in the server's order."""
    yield plaintext_refusal(oauth_request.signature_method, secure), (
        "PLAINTEXT sends your secrets as they are: use an https:// URL, or HMAC-SHA1.")
    if endpoint is None:  # an API request
        yield bridge.resource_request_refusal(oauth_request), ""
    yield timestamp_refusal(oauth_request.timestamp), SIGN_AGAIN
    # The token the endpoint takes, found as the server finds it; only when it is not found is it asked why.
    server_lookup = {None: selectors.access_token_get, ACCESS_TOKEN_ENDPOINT: selectors.request_token_get}.get(endpoint)
    token_key = oauth_request.resource_owner_key
    if server_lookup is not None and token_key and server_lookup(consumer_key=oauth_request.client_key,
                                                                 key=token_key) is None:
        standing = selectors.token_standing(consumer_key=oauth_request.client_key, key=token_key)
        yield InvalidCredentials(bridge.INVALID), (
            UNKNOWN_TOKEN if standing is None else TOKEN_WHY[standing.kind, standing.standing])
    try:
        yield replay_refusal(consumer_key=oauth_request.client_key, token=token_key,
                             timestamp=oauth_request.timestamp, nonce=oauth_request.nonce), (
            "This oauth_nonce was used with this timestamp before: each request needs a new one.")
    except Refusal as unreachable:  # the store could not be asked: the server could not either
        yield unreachable, "The replay store could not be reached just now, so the nonce could not be checked."


def _endpoint(path):
    """The token endpoint's route name for `path`, or None for anything else (an API request)."""
    try:
        name = resolve(path or "/").url_name
    except Resolver404:
        return None
    return name if name in (REQUEST_TOKEN_ENDPOINT, ACCESS_TOKEN_ENDPOINT) else None


def _has_oauth(text):
    return "oauth_" in text


def _token_secret(consumer, token_key):
    """The secret of this client's access or request token named `token_key`: ("", False) when none."""
    if not token_key:
        return "", False
    token = (selectors.access_token_get(consumer_key=consumer.client_key, key=token_key)
             or selectors.request_token_get(consumer_key=consumer.client_key, key=token_key))
    return (token.secret, True) if token is not None else ("", False)
