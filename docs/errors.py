"""The guide's error catalogue, built from the refusals themselves so the page shows the real texts."""
import json
from types import SimpleNamespace

from rest_framework.exceptions import NotAuthenticated

from access import refusals
from apiv2.errors import ApiError
from apiv2.exceptions import api_exception_handler, error_body
from apiv2.schemes.basic import parse_basic_credentials
from consumers.oauth1 import bridge
from consumers.oauth1.nonces import REPLAYED, STALE
from consumers.oauth1.policy import PLAINTEXT_OVER_HTTP, callback_refusal, granted_scopes
from consumers.oauth1.protocol_rules import (
    MISSING,
    header_parameters,
    mandatory_violation,
    mixed_sources_violation,
    protocol_violation,
)
from consumers.oauth1.services import ALREADY_USED
from consumers.oauth1.validator import OAuth1Validator
from consumers.scopes import ALL_SCOPES

CATALOGUE = [
    ("Bad Credentials", refusals.InvalidCredentials,
     "Unknown user, wrong password, bad signature or unknown token: one answer, so it never says which."),
    ("No API Access – Locked Account", refusals.AccountLocked,
     "The account is locked because of an unpaid balance. You may want to offer your user a direct link "
     "to the reference URL, where they can see what is owed and how to pay."),
    ("API Access is disabled", refusals.AccountDisabled,
     "The account was suspended for a violation of the API terms. To resolve it, the user contacts us "
     "at the reference URL."),
    ("No App Key given", refusals.ClientKeyMissing,
     "HTTP Basic without a client key in X-Client-Key or client_key."),
    ("Invalid client key", refusals.ClientKeyInvalid, "The client key is unknown or was revoked."),
    ("Client key of another account", refusals.ClientKeyNotOwned,
     "With HTTP Basic, the client key must belong to the account whose credentials you send."),
    ("App not yet approved", refusals.AppNotApproved,
     "Where new apps are reviewed, an app awaiting review works only for its developer's own account: "
     "other users cannot authorize it until staff approve it. Its status is on your apps page."),
]


# Refusal codes the guide explains outside the catalogue's entries ("Other refusals"), each at an anchor.
OTHER_REFUSALS = ("insufficient_scope", "rate_limited")


def catalogue_anchor(code):
    """The guide's anchor for a reason code (`error-<code>`), or the catalogue's own (`errors`) for a
    code it has no entry for (a view's `not_found`, say): where an app's usage page links a reason."""
    known = {refusal_class.code for _, refusal_class, _ in CATALOGUE} | set(OTHER_REFUSALS)
    return f"error-{code}" if code in known else "errors"


def error_catalogue(request):
    """(title, status, JSON body, explanation, variants, anchor) for each refusal, with this deployment's
    references; `variants` are (when, additional) for a refusal whose `additional` differs by case."""
    entries = []
    for title, refusal_class, text in CATALOGUE:
        error = ApiError(refusal_class())
        body = error_body(error.status_code, error.message, error.additional, error.reference_url(request))
        variants = bad_credentials_texts() if refusal_class is refusals.InvalidCredentials else []
        entries.append((title, error.status_code, json.dumps(body, indent=2, ensure_ascii=False), text, variants,
                        catalogue_anchor(refusal_class.code)))
    return entries


def bad_credentials_texts():
    """(when, additional) for every 401 an API request can get, each text from the rule that sends it."""
    signed = {"signature": "s", "client_key": "k" * 16, "nonce": "n", "timestamp": "1700000000",
              "signature_method": "HMAC-SHA1"}
    no_credentials = api_exception_handler(NotAuthenticated(), {"request": None}).data["additional"]
    rows = [
        ("No Authorization header at all", no_credentials),
        ("HTTP Basic: unknown user or wrong password; OAuth 2.0: an unknown, expired or revoked Bearer token",
         refusals.InvalidCredentials().additional),
        ("HTTP Basic: the header is not base64 of username:password",
         _raised(parse_basic_credentials, ["Basic", "not base64!"]).additional),
        ("OAuth 1.0a: unknown client key or token, or a signature that does not match (with the app's opt-in, "
         "followed by the signature base string we computed)", bridge.INVALID),
        ("OAuth 1.0a: signed without an access token (oauth_token)",
         _raised(bridge.check_resource_request, SimpleNamespace(**signed, resource_owner_key="")).additional),
        ("OAuth 1.0a: oauth_timestamp more than 10 minutes from our clock", STALE),
        ("OAuth 1.0a: the oauth_nonce was already used with this key, token and timestamp", REPLAYED),
    ]
    return rows


def token_endpoint_errors():
    """(endpoint, when, status, message, additional) for every refusal of the OAuth 1.0a token
    endpoints, in about the order they are checked; the texts come from the rules that refuse."""
    formats = OAuth1Validator()
    good = {"signature": "s", "client_key": "k" * 16, "nonce": "n", "timestamp": "1700000000",
            "signature_method": "HMAC-SHA1"}
    mandatory = lambda **changes: mandatory_violation(SimpleNamespace(**{**good, **changes}), formats)  # noqa: E731
    registered = SimpleNamespace(callback_url="https://printer.example.com/ready", scope_list=ALL_SCOPES)
    both = "both"
    rows = [
        (both, "An Authorization header value is not quoted", _raised(header_parameters, "OAuth oauth_nonce=1")),
        (both, "An Authorization header value is not percent-encoded",
         _raised(header_parameters, 'OAuth oauth_nonce="a b"')),
        (both, "The query or form body is not valid percent-encoding", refusals.MalformedRequest(bridge.MALFORMED)),
        (both, "A protocol parameter is given twice", protocol_violation([("oauth_nonce", "1"), ("oauth_nonce", "2")])),
        (both, "oauth_signature_method is not HMAC-SHA1 or PLAINTEXT",
         protocol_violation([("oauth_signature_method", "RSA-SHA1")])),
        (both, "oauth_version is not 1.0 (1.0a and 1.0A are 1.0)", protocol_violation([("oauth_version", "2.0")])),
        (both, "Protocol parameters in more than one of header, body and query",
         mixed_sources_violation(["header", "query"])),
        (both, "PLAINTEXT over plain HTTP while the deployment is not in debug mode",
         refusals.MalformedRequest(PLAINTEXT_OVER_HTTP)),
        (both, "oauth_consumer_key, oauth_signature_method, oauth_signature, oauth_timestamp or oauth_nonce "
               "is missing", refusals.MalformedRequest(MISSING)),
        (both, "oauth_timestamp is not 10 digits", mandatory(timestamp="17")),
        (both, "oauth_timestamp is not a number", mandatory(timestamp="17000000x0")),
        (both, "oauth_consumer_key is not 16 to 100 letters, digits or -._~", mandatory(client_key="k")),
        (both, "oauth_nonce is not 1 to 255 letters, digits or -._~", mandatory(nonce="a/b")),
        ("request_token", "No oauth_callback", refusals.MalformedRequest("Missing callback URI.")),
        ("access_token", "No oauth_token", refusals.MalformedRequest("Missing resource owner.")),
        ("access_token", "No oauth_verifier", refusals.MalformedRequest("Missing verifier.")),
        (both, "oauth_timestamp more than 10 minutes from our clock", refusals.InvalidCredentials(STALE)),
        (both, "Unknown client key or token, or a signature that does not match (with the app's opt-in, "
               "additional then ends with the signature base string we computed)",
         refusals.InvalidCredentials(bridge.INVALID)),
        ("access_token", "A wrong or spent oauth_verifier with otherwise good credentials",
         refusals.InvalidCredentials(bridge.WRONG_VERIFIER)),
        ("access_token", "The request token was exchanged already (at the same moment)",
         refusals.InvalidCredentials(ALREADY_USED)),
        (both, "The oauth_nonce was already used with this key, token and timestamp",
         refusals.InvalidCredentials(REPLAYED)),
        (both, "The client was revoked, or its owner deactivated", refusals.ClientKeyInvalid()),
        (both, "The client's owner is disabled for a terms violation", refusals.AccountDisabled()),
        ("access_token", "The user who approved the token is locked for an unpaid balance", refusals.AccountLocked()),
        ("request_token", "oauth_callback is a URL and the client has no registered callback",
         callback_refusal(SimpleNamespace(callback_url=""), "https://printer.example.com/ready")),
        ("request_token", "oauth_callback is not oob nor under the registered callback",
         callback_refusal(registered, "https://elsewhere.example.com/")),
        ("request_token", "scope names an unknown scope", _raised(granted_scopes, registered, "admin")),
        ("request_token", "scope asks for more than the client holds",
         _raised(granted_scopes, SimpleNamespace(scope_list=["products:read"]), "products:write")),
    ]
    table = []
    for endpoint, when, refusal in rows:
        error = ApiError(refusal)
        table.append((endpoint, when, error.status_code, error.message, error.additional))
    table.append((both, "Past the client key's request budget (the answer carries Retry-After)", 429,
                  "Too many requests", "Retry in N seconds."))
    unavailable = ApiError(refusals.SharedStateUnavailable())
    table.append((both, "The nonce store cannot be reached", unavailable.status_code, unavailable.message,
                  unavailable.additional))
    return table


def _raised(rule, *args):
    try:
        rule(*args)
    except refusals.Refusal as refusal:
        return refusal
    raise AssertionError(f"{rule.__name__}{args} refused nothing")
