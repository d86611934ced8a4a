"""The one bridge between Django and oauthlib's OAuth 1.0a, through oauthlib's public API only.

A Django request is read once into one `SignedRequest` (`read`): our verifier checks a signed API
request from it; at the token endpoints oauthlib's endpoints judge it, as an oauthlib `Request`, with our
storage-only validator. oauthlib's errors come back as our refusals. The
bridge decides nothing about accounts or clients: its callers ask the gate (`consumers.gate`) and our
OAuth rules (`consumers.oauth1.policy`) about what it verified.

Order of answers: malformed request (400) -> bad signature, key, token or nonce (401); then the
callers' gate (403) and callback and scope rules (400/403).
"""
import hmac
import re
from contextlib import contextmanager
from urllib.parse import parse_qsl

from oauthlib.common import Request, urldecode, urlencode
from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA1,
    AccessTokenEndpoint,
    RequestTokenEndpoint,
)
from oauthlib.oauth1.rfc5849 import signature
from oauthlib.oauth1.rfc5849.errors import OAuth1Error
from oauthlib.oauth1.rfc5849.utils import unescape

from access.refusals import InvalidCredentials, MalformedRequest, refuse_if
from consumers.oauth1 import base_string, selectors
from consumers.oauth1.hmac_sha1 import hmac_sha1_signature
from consumers.oauth1.nonces import nonce_record, replay_guard, timestamp_refusal
from consumers.oauth1.policy import plaintext_refusal
from consumers.oauth1.protocol_rules import (
    VERSIONS,
    header_parameters,
    is_oauth_header,
    mandatory_violation,
    mixed_sources_violation,
    protocol_violation,
)
from consumers.oauth1.tokens import generate_token
from consumers.oauth1.validator import DUMMY_SECRET, OAuth1Validator
from consumers.services import consumer_secret_mark_used

FORM = "application/x-www-form-urlencoded"
INVALID = "Invalid OAuth signature or credentials."
WRONG_VERIFIER = "Invalid or expired verifier."
BASE_STRING_PREFIX = "Signature base string we computed: "
NO_ACCESS_TOKEN = "API requests must be signed with an access token (oauth_token)."
MALFORMED = "Malformed OAuth request: parameters must be percent-encoded key=value pairs."
MAX_SECRETS_IN_FORCE = 2  # the current client secret, and the previous one during a rotation's overlap

validator = OAuth1Validator()


# --- Reading a Django request, once ---------------------------------------------------------------


def read(django_request):
    """The signed request (`SignedRequest`) a Django request carries in OAuth protocol parameters (in
    the `Authorization` header, a form-encoded body or the query, RFC 5849 §3.5), or None when it
    carries none. RFC 5849 §3's rules and the PLAINTEXT rule are checked here (400s); mandatory
    parameters when it is verified.

    The scheme of the URI is Django's (`X-Forwarded-Proto` only when TRUST_X_FORWARDED_PROTO is on);
    the host the `Host` header's, validated by ALLOWED_HOSTS (`request_uri`). Only a form-encoded
    body takes part in the signature (RFC 5849 §3.4.1.3.1).
    """
    authorization = django_request.META.get("HTTP_AUTHORIZATION", "")
    query, body = django_request.META.get("QUERY_STRING", ""), _form_body(django_request)
    if not _carries_oauth(authorization, query, body):
        return None  # told before the URI is built: every Basic and Bearer request asks here first
    scheme = django_request.scheme
    return _signed(uri=request_uri(django_request, scheme, query), method=django_request.method,
                   authorization=authorization, query=query, body=body, secure=scheme == "https")


def read_parts(*, uri, method, authorization, query, body, secure):
    """`read` for a request given as its parts (`body` only when form-encoded): what the signature
    debugger (`consumers.oauth1.debugger`) reads a developer's request with."""
    if not _carries_oauth(authorization, query, body):
        return None
    return _signed(uri=uri, method=method, authorization=authorization, query=query, body=body, secure=secure)


# The attributes oauthlib's endpoints and our validator read, as oauthlib's endpoints set them: each
# protocol parameter under its attribute's name.
PROTOCOL_ATTRIBUTES = {
    "signature": "oauth_signature", "client_key": "oauth_consumer_key", "resource_owner_key": "oauth_token",
    "nonce": "oauth_nonce", "timestamp": "oauth_timestamp", "redirect_uri": "oauth_callback",
    "verifier": "oauth_verifier", "signature_method": "oauth_signature_method",
}


class SignedRequest:
    """A request's RFC 5849 parts, read once: what our verifier and the debugger work from, under the
    names oauthlib's `Request` gives them (so our validator's methods take either). oauthlib's
    endpoints get an oauthlib `Request` made from it (`_for_oauthlib`), only at the token endpoints."""

    def __init__(self, uri, http_method, body, authorization, oauth_params, params, realm):
        self.uri, self.http_method, self.body, self.authorization = uri, http_method, body, authorization
        self.oauth_params, self.params, self.realm = oauth_params, params, realm
        for name, parameter in PROTOCOL_ATTRIBUTES.items():
            setattr(self, name, oauth_params.get(parameter))


def _signed(*, uri, method, authorization, query, body, secure):
    header_pairs = header_parameters(authorization)  # None: not an OAuth header
    try:
        query_pairs = [_unescaped(pair) for pair in urldecode(query)] if query else []
        body_pairs = [_unescaped(pair) for pair in urldecode(body)] if body else []
    except ValueError:
        raise MalformedRequest(MALFORMED) from None
    header_pairs = header_pairs or []
    sources = {"header": header_pairs, "body": body_pairs, "query": query_pairs}
    with_oauth = [name for name, pairs in sources.items() if any(key.startswith("oauth_") for key, _ in pairs)]
    refuse_if(protocol_violation(header_pairs + body_pairs + query_pairs))
    refuse_if(mixed_sources_violation(with_oauth))

    header_oauth = [(key, _decoded(value) if key.startswith("oauth_") else value) for key, value in header_pairs]
    every_pair = header_oauth + body_pairs + query_pairs
    oauth_params = {key: value for key, value in every_pair if key.startswith("oauth_")}
    realm = dict(header_oauth).get("realm")
    if oauth_params.get("oauth_version") in VERSIONS:
        # `1.0a` is 1.0 to us; oauthlib's endpoints accept only "1.0". The signature keeps what was sent.
        oauth_params["oauth_version"] = "1.0"
    # A header realm is no parameter (RFC 5849 §3.4.1.3.1); neither is the signature.
    params = [pair for pair in every_pair if pair[0] != "oauth_signature"]
    if "realm" in authorization:
        params = [pair for pair in params if pair[0] != "realm"]
    signed = SignedRequest(uri, method, body, authorization, oauth_params, params, realm)
    refuse_if(plaintext_refusal(signed.signature_method, secure))
    return signed


def _for_oauthlib(signed):
    """oauthlib's `Request` for a signed request, with the attributes its endpoints and our validator
    read set as its own endpoints set them."""
    headers = {"Authorization": signed.authorization} if signed.authorization else {}
    if signed.body:
        headers["Content-Type"] = FORM
    oauth_request = Request(signed.uri, signed.http_method, signed.body, headers)
    for name in ("oauth_params", "params", "realm", *PROTOCOL_ATTRIBUTES):
        setattr(oauth_request, name, getattr(signed, name))
    return oauth_request


# Paths and queries that Django's `build_absolute_uri` leaves as they are (nothing for `escape_uri_path`
# or `iri_to_uri` to encode, no dot segment for `urljoin` to resolve): the URI is then put together here.
PLAIN_PATH = re.compile(r"/[A-Za-z0-9_.~!$&'()*+,:@/-]*")
PLAIN_QUERY = re.compile(r"[A-Za-z0-9_.~!$&'()*+,:@/;=?%\[\]-]*")


def request_uri(django_request, scheme, query):
    """`django_request.build_absolute_uri()`, the same string, built directly for a plain path and query
    (as every API request's is): on every signed request Django's way parses the URI it has just made."""
    path = django_request.path
    if PLAIN_PATH.fullmatch(path) and "/./" not in path and "/../" not in path and PLAIN_QUERY.fullmatch(query):
        return f"{scheme}://{django_request.get_host()}{path}{'?' if query else ''}{query}"
    return django_request.build_absolute_uri()


def _carries_oauth(authorization, query, body):
    """Protocol parameters in an `OAuth` header, the query or the form body? Else the request is not
    ours (another scheme's, or none: its query may be anything). A lenient look at the query and the
    body: only ours are parsed strictly."""
    if is_oauth_header(authorization):
        return True
    if query and any(name.startswith("oauth_") for name, _ in parse_qsl(query)):
        return True
    return "oauth_" in body and any(name.startswith("oauth_") for name, _ in parse_qsl(body))


def _form_body(django_request):
    if django_request.content_type != FORM:
        return ""
    return django_request.body.decode("utf-8", errors="replace")


def _unescaped(pair):
    """oauthlib percent-decodes protocol parameter values once more after form decoding; so do we, so
    that the signature base string is the one oauthlib and its clients compute."""
    key, value = pair
    return (key, _decoded(value)) if key.startswith("oauth_") else pair


def _decoded(value):
    """oauthlib's `unescape`, skipped for a value with no escapes (keys, nonces, timestamps): the same result."""
    return unescape(value) if "%" in value else value


# --- Verifying ------------------------------------------------------------------------------------


def signature_base_string(oauth_request):
    """The HMAC-SHA1 signature base string of a request (RFC 5849 §3.4.1): the same three steps, on the
    same parameters, as oauthlib's `verify_hmac_sha1` takes, with the same result (`base_string`, held to
    oauthlib's functions by its tests); the verifier (`signatures_match`) and the debugger both sign this one."""
    try:  # oauthlib's ValueError for what is not a URI or not text: a 400, as `oauthlib_errors` makes it
        return base_string.signature_base_string(oauth_request.http_method, oauth_request.uri, oauth_request.params)
    except ValueError:
        raise MalformedRequest(MALFORMED) from None


def bad_signature(oauth_request, consumer):
    """The 401 for a signature that does not match. With the client's opt-in (`signature_debug`) and
    HMAC-SHA1 it carries the base string we computed, which holds nothing the client did not send."""
    if consumer is None or not consumer.signature_debug or oauth_request.signature_method != SIGNATURE_HMAC_SHA1:
        return InvalidCredentials(INVALID)
    return InvalidCredentials(f"{INVALID} {BASE_STRING_PREFIX}{signature_base_string(oauth_request)}")


def signatures_match(oauth_request, client_secrets, resource_owner_secret):
    """For each client secret, does the request's signature match it? The base string is computed
    once (`signature_base_string`, as the debugger shows it), then signed with each secret (HMAC-SHA1:
    `hmac_sha1_signature`, oauthlib's `sign_hmac_sha1_with_client` to the character; PLAINTEXT: oauthlib's) and
    compared in constant time (`hmac.compare_digest`, in C)."""
    if oauth_request.signature_method == SIGNATURE_HMAC_SHA1:
        base = signature_base_string(oauth_request)
        expected = [hmac_sha1_signature(base, secret, resource_owner_secret) for secret in client_secrets]
    else:
        expected = [signature.sign_plaintext(secret, resource_owner_secret) for secret in client_secrets]
    sent = (oauth_request.signature or "").encode("utf-8", "surrogatepass")
    return [hmac.compare_digest(candidate.encode(), sent) for candidate in expected]


def resource_request_refusal(oauth_request):
    """The first refusal of a signed API request's checks that need no storage (RFC 5849 §3.1, §3.2), or
    None: mandatory parameters well formed (400), an access token, a timestamp within the window (401).
    What `check_resource_request` raises, and what the signature debugger says the server would answer."""
    violation = mandatory_violation(oauth_request, validator)  # oauthlib's endpoints check their own
    if violation is not None:
        return violation
    if not oauth_request.resource_owner_key:
        return InvalidCredentials(NO_ACCESS_TOKEN)
    if not validator.check_access_token(oauth_request.resource_owner_key):
        return InvalidCredentials(INVALID)
    return timestamp_refusal(oauth_request.timestamp)


def check_resource_request(oauth_request):
    """`resource_request_refusal` raised. Returns the request's replay guard (`nonces.replay_guard`): the
    caller claims the nonce, so that it can do so in the same round trip as its own reads."""
    refuse_if(resource_request_refusal(oauth_request))
    return replay_guard(consumer_key=oauth_request.client_key, token=oauth_request.resource_owner_key,
                        timestamp=oauth_request.timestamp, nonce=oauth_request.nonce)


def verify_resource_request(oauth_request, found=None):
    """(client, access token) of a checked signed API request (`check_resource_request`) whose
    signature and token are good; `InvalidCredentials` otherwise, never saying which of key, token or
    secret was wrong. `found`: what the caller read of `selectors.resource_snapshot_names`.

    The client and the token are loaded together (one round trip, or one query); an unknown one is
    checked against a dummy secret, so the answer time does not tell which keys exist.
    """
    consumer, access_token = selectors.resource_credentials(
        consumer_key=oauth_request.client_key, token_key=oauth_request.resource_owner_key, found=found)
    token_secret = access_token.secret if access_token is not None else DUMMY_SECRET
    # Every candidate is tried, real or dummy, so the time does not tell whether an overlap is on.
    secrets = consumer.secrets_in_force() if consumer is not None else ()
    matches = signatures_match(oauth_request, (*secrets, DUMMY_SECRET, DUMMY_SECRET)[:MAX_SECRETS_IN_FORCE],
                               token_secret)
    if not any(matches[:len(secrets)]):
        raise bad_signature(oauth_request, consumer)
    if consumer is None or access_token is None:
        raise InvalidCredentials(INVALID)
    consumer_secret_mark_used(consumer=consumer, which=matches.index(True))  # writes only when due
    return consumer, access_token


def verify_request_token_request(signed):
    """The oauthlib request of a good temporary-credentials request (RFC 5849 §2.1), its client loaded
    as `consumer`."""
    oauth_request = _for_oauthlib(signed)
    endpoint = RequestTokenEndpoint(validator, token_generator=generate_token)
    _verify(endpoint.validate_request_token_request, oauth_request)
    return oauth_request


def verify_access_token_request(signed):
    """The oauthlib request of a good token-credentials request (RFC 5849 §2.3): its client as
    `consumer`, its authorized request token as `request_token`."""
    oauth_request = _for_oauthlib(signed)
    endpoint = AccessTokenEndpoint(validator, token_generator=generate_token)
    _verify(endpoint.validate_access_token_request, oauth_request)
    return oauth_request


def issue_request_token(oauth_request, scopes):
    """The form-encoded response body with new temporary credentials carrying `scopes`, granted
    scopes reported as `scope`."""
    oauth_request.scopes = scopes
    endpoint = RequestTokenEndpoint(validator, token_generator=generate_token)
    with oauthlib_errors():
        return endpoint.create_request_token(oauth_request, {"scope": " ".join(scopes)})


def issue_access_token(oauth_request):
    """The form-encoded response body with token credentials; spends the request token.

    The body is written from the token oauthlib had us save, not taken from oauthlib: its body adds
    `oauth_authorized_realms`, an `oauth_` parameter RFC 5849 does not define there, which strict
    clients (Perl's Net::OAuth) refuse. Granted scopes go in `scope`, as on the request token.
    """
    endpoint = AccessTokenEndpoint(validator, token_generator=generate_token)
    with oauthlib_errors():
        endpoint.create_access_token(oauth_request, {})
    token = oauth_request.access_token
    return urlencode([("oauth_token", token.key), ("oauth_token_secret", token.secret),
                      ("scope", " ".join(token.scope_list))])


def _verify(validate, oauth_request):
    """Run oauthlib's validation; raise the refusal unless signature, key, token and nonce are good.

    Only a stale timestamp (checked before anything is looked up), a replayed nonce (recorded once the
    signature is good), or a wrong verifier presented with otherwise good credentials, get their own
    words: anything else would tell a stranger which keys exist.
    """
    refuse_if(mandatory_violation(oauth_request, validator))  # our words before oauthlib's
    with oauthlib_errors():
        valid, _ = validate(oauth_request)
        # oauthlib asks for one client secret (`get_client_secret`); during a rotation's overlap the
        # request may be signed with the previous one, so it is judged again with that one.
        if not valid and _previous_secret_worth_trying(oauth_request):
            oauth_request.client_secret_choice = 1
            valid, _ = validate(oauth_request)
    if valid:
        _record_nonce(oauth_request)
        consumer = getattr(oauth_request, "consumer", None)
        if consumer is not None:
            consumer_secret_mark_used(consumer=consumer, which=getattr(oauth_request, "client_secret_choice", 0))
        return
    nonce_refusal = getattr(oauth_request, "nonce_refusal", None)
    if nonce_refusal is not None:
        raise nonce_refusal
    log = oauth_request.validator_log
    credentials_good = log.get("signature") and log.get("client") and log.get("resource_owner", True)
    if credentials_good and log.get("verifier") is False:
        raise InvalidCredentials(WRONG_VERIFIER)
    if log.get("signature") is False:
        raise bad_signature(oauth_request, getattr(oauth_request, "consumer", None))
    raise InvalidCredentials(INVALID)


def _previous_secret_worth_trying(oauth_request):
    consumer = getattr(oauth_request, "consumer", None)
    log = getattr(oauth_request, "validator_log", {})
    return (consumer is not None and log.get("signature") is False
            and consumer.previous_secret_in_force())


def _record_nonce(oauth_request):
    refuse_if(nonce_record(consumer_key=oauth_request.client_key, token=oauth_request.resource_owner_key,
                           timestamp=oauth_request.timestamp, nonce=oauth_request.nonce))


@contextmanager
def oauthlib_errors():
    """oauthlib's exceptions as our refusals: its 401s as the one `InvalidCredentials`, and its plain
    ValueError (anything that is not valid form encoding) as a 400, never a 500."""
    try:
        yield
    except OAuth1Error as error:
        raise _refusal(error) from None
    except ValueError:
        raise MalformedRequest(MALFORMED) from None


def _refusal(error):
    if error.status_code == 401:
        return InvalidCredentials(INVALID)
    description = error.description
    if isinstance(description, tuple):  # oauthlib sometimes passes (format, argument)
        description = description[0] % description[1:]
    return MalformedRequest(description or "Invalid OAuth request.")


def signed_parameter(oauth_request, name):
    """A signed, non-protocol parameter (query or form body); repeated values are joined."""
    values = [value for key, value in oauth_request.params if key == name]
    return " ".join(values) if values else None
