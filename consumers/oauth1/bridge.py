"""The one bridge between Django and oauthlib's OAuth 1.0a endpoints.

It turns a Django request into what oauthlib wants (uri, method, body, headers), runs the endpoint
with our validator, applies our policies once the signature is known good, and turns every failure
into an `ApiError` that the API's exception handler renders in the contract's JSON shape.

Order of answers: malformed request (400) -> bad signature, key, token or nonce (401) -> the
client's state (403) -> the token's account state (403) -> callback and scope rules (400/403).
"""
from contextlib import contextmanager
from urllib.parse import parse_qsl

from oauthlib.oauth1 import AccessTokenEndpoint, RequestTokenEndpoint, ResourceEndpoint
from oauthlib.oauth1.rfc5849.errors import OAuth1Error

from accounts.policy import account_refusal
from apiv2.errors import ApiError, CouldNotAuthenticate
from consumers.oauth1.nonces import nonce_record
from consumers.oauth1.policy import callback_refusal, granted_scopes, plaintext_refusal
from consumers.oauth1.protocol_rules import protocol_violation
from consumers.oauth1.tokens import generate_token
from consumers.oauth1.validator import OAuth1Validator, ResourceRequestValidator
from consumers.policy import consumer_refusal

FORM = "application/x-www-form-urlencoded"
INVALID = "Invalid OAuth signature or credentials."
MALFORMED = "Malformed OAuth request: parameters must be percent-encoded key=value pairs."

validator = OAuth1Validator()
resource_validator = ResourceRequestValidator()


# --- Reading a Django request -----------------------------------------------------------------------


def has_oauth_params(django_request):
    """Does the request carry OAuth protocol parameters (header, query or form body)? (RFC 5849 §3.5)"""
    if django_request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "oauth ":
        return True
    if any(name.startswith("oauth_") for name in django_request.GET):
        return True
    return any(name.startswith("oauth_") for name, _ in parse_qsl(_form_body(django_request)))


def oauthlib_arguments(django_request):
    """(uri, http_method, body, headers) as oauthlib wants them.

    The scheme comes from `is_secure()`, which trusts `X-Forwarded-Proto` only when
    TRUST_X_FORWARDED_PROTO is on; the host from the `Host` header, validated by ALLOWED_HOSTS.
    Only a form-encoded body takes part in the signature (RFC 5849 §3.4.1.3.1).
    """
    headers = {}
    if "HTTP_AUTHORIZATION" in django_request.META:
        headers["Authorization"] = django_request.META["HTTP_AUTHORIZATION"]
    body = _form_body(django_request)
    if body:
        headers["Content-Type"] = FORM
    return django_request.build_absolute_uri(), django_request.method, body, headers


def _form_body(django_request):
    if django_request.content_type != FORM:
        return ""
    return django_request.body.decode("utf-8", errors="replace")


def parse(endpoint, django_request):
    """The oauthlib request, after the checks that need no storage: RFC 5849 §3's rules
    (`protocol_rules`), parameters well formed and complete, signature method allowed (and PLAINTEXT
    only where `plaintext_refusal` allows it)."""
    _raise_if(protocol_violation(django_request.META.get("HTTP_AUTHORIZATION", ""),
                                 django_request.META.get("QUERY_STRING", ""), _form_body(django_request)))
    with oauthlib_errors():
        oauth_request = endpoint._create_request(*oauthlib_arguments(django_request))
        endpoint._check_mandatory_parameters(oauth_request)
    _raise_if(plaintext_refusal(oauth_request.signature_method, django_request.is_secure()))
    return oauth_request


# --- The three uses -----------------------------------------------------------------------------------


def issue_request_token(django_request):
    """Temporary credentials (RFC 5849 §2.1); the form-encoded response body."""
    endpoint = RequestTokenEndpoint(validator, token_generator=generate_token)
    oauth_request = parse(endpoint, django_request)
    _verify(endpoint.validate_request_token_request, oauth_request)
    consumer = oauth_request.consumer
    _raise_if(consumer_refusal(consumer))
    _raise_if(callback_refusal(consumer, oauth_request.redirect_uri))
    oauth_request.scopes = granted_scopes(consumer, _parameter(oauth_request, "scope"))
    return endpoint.create_request_token(oauth_request, {})


def issue_access_token(django_request):
    """Token credentials for an authorized request token and its verifier (RFC 5849 §2.3)."""
    endpoint = AccessTokenEndpoint(validator, token_generator=generate_token)
    oauth_request = parse(endpoint, django_request)
    _verify(endpoint.validate_access_token_request, oauth_request)
    _raise_if(consumer_refusal(oauth_request.consumer))
    _raise_if(account_refusal(oauth_request.request_token.user))
    return endpoint.create_access_token(oauth_request, {})


def verify_resource_request(django_request):
    """The access token a signed API request is made with (RFC 5849 §3.2), once every rule passed."""
    endpoint = ResourceEndpoint(resource_validator, token_generator=generate_token)
    oauth_request = parse(endpoint, django_request)
    if not oauth_request.resource_owner_key:
        raise CouldNotAuthenticate("API requests must be signed with an access token (oauth_token).")
    _verify(lambda _: endpoint.validate_protected_resource_request(*oauthlib_arguments(django_request)),
            oauth_request)
    access_token = oauth_request.access_token
    _raise_if(consumer_refusal(oauth_request.consumer))
    _raise_if(account_refusal(access_token.user))
    return access_token


# --- Verdicts ------------------------------------------------------------------------------------------


def _verify(validate, oauth_request):
    """Run oauthlib's validation; raise the refusal unless signature, key, token and nonce are good.

    The reasons never say which of key, token or secret was wrong: that would tell a stranger which
    keys exist. Only a stale timestamp (checked before anything is looked up), a replayed nonce
    (recorded once the signature is good), or a wrong verifier presented with otherwise good
    credentials, get their own words.
    """
    with oauthlib_errors():
        valid, checked = validate(oauth_request)
    if valid:
        _copy_loaded(checked, oauth_request)
        _raise_if(nonce_record(consumer_key=oauth_request.client_key, token=oauth_request.resource_owner_key,
                               timestamp=oauth_request.timestamp, nonce=oauth_request.nonce))
        return
    checked = checked or oauth_request
    nonce_refusal = getattr(checked, "nonce_refusal", None)
    if nonce_refusal is not None:
        raise nonce_refusal
    log = checked.validator_log
    credentials_good = log.get("signature") and log.get("client") and log.get("resource_owner", True)
    if credentials_good and log.get("verifier") is False:
        raise CouldNotAuthenticate("Invalid or expired verifier.")
    raise CouldNotAuthenticate(INVALID)


def _copy_loaded(checked, oauth_request):
    """`validate_protected_resource_request` builds its own oauthlib request: keep what it loaded."""
    if checked is not oauth_request:
        for name in ("consumer", "access_token"):
            setattr(oauth_request, name, getattr(checked, name, None))


@contextmanager
def oauthlib_errors():
    """oauthlib's exceptions as our refusals: its 401s as the one `CouldNotAuthenticate`, and its
    plain ValueError (anything that is not valid form encoding) as a 400, never a 500."""
    try:
        yield
    except OAuth1Error as error:
        raise _api_error(error) from None
    except ValueError:
        raise ApiError(MALFORMED) from None


def _api_error(error):
    if error.status_code == 401:
        return CouldNotAuthenticate(INVALID)
    description = error.description
    if isinstance(description, tuple):  # oauthlib sometimes passes (format, argument)
        description = description[0] % description[1:]
    return ApiError(description or "Invalid OAuth request.")


def _raise_if(refusal):
    if refusal is not None:
        raise refusal


def _parameter(oauth_request, name):
    """A signed, non-protocol parameter (query or form body); repeated values are joined."""
    values = [value for key, value in oauth_request.params if key == name]
    return " ".join(values) if values else None
