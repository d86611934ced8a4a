"""OAuth 2.0 endpoint errors in one shape: RFC 6749 §5.2's `error` and `error_description` and the
guide's four keys (`status`, `message`, `additional`, `reference`) in one object (docs/contract.md,
"Error body"), whether oauthlib refused the request or our rules (the gate, the rate limit) did."""
import json

from django.http import HttpResponse, JsonResponse

from access import refusals
from apiv2.errors import STATUS, reference_url
from apiv2.exceptions import error_body, whole_seconds
from apiv2.schemes.basic import ClientKeyBasicAuthentication

# The RFC's word for each of our refusals. Locked and disabled accounts are `access_denied` (as RFC
# 8628 uses it at the token endpoint) rather than `invalid_grant`: a new authorization would not help.
RFC_ERRORS = {
    refusals.MalformedRequest.code: "invalid_request",
    refusals.InvalidCredentials.code: "invalid_grant",
    refusals.ClientKeyInvalid.code: "invalid_client",
    refusals.ClientKeyNotOwned.code: "unauthorized_client",
    refusals.AppNotApproved.code: "unauthorized_client",
    refusals.AccountLocked.code: "access_denied",
    refusals.AccountDisabled.code: "access_denied",
    refusals.InsufficientScope.code: "invalid_scope",
    refusals.TooManyFailedAttempts.code: "slow_down",
    refusals.SecretsUnreadable.code: "temporarily_unavailable",
    refusals.SharedStateUnavailable.code: "temporarily_unavailable",
}
TOO_MANY_REQUESTS = 429
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# These endpoints authenticate the client with HTTP Basic (RFC 6749 §2.3.1), so a 401 challenges with it
# (oauthlib would name Bearer, the resource server's scheme).
CLIENT_CHALLENGE = ClientKeyBasicAuthentication.challenge


def oauth2_error_body(status, error, description, *, message=None, additional=None, reference=""):
    """The one builder of an OAuth 2.0 error body."""
    return {"error": error, "error_description": description,
            **error_body(status, message, description if additional is None else additional, reference)}


def no_store_response(body, status=200, headers=None):
    """A JSON answer of these endpoints: tokens, codes and errors are never cached (RFC 6749 §5.1)."""
    response = JsonResponse(body, status=status)
    for name, value in {**NO_STORE, **(headers or {})}.items():
        response[name] = value
    return response


def oauth2_error_response(status, error, description, headers=None, **four_keys):
    """A 401 challenges with HTTP Basic unless the caller names the scheme the request used (a token
    exchange signed with OAuth 1.0a is challenged with OAuth's)."""
    headers = {name: value for name, value in (headers or {}).items()}
    if status == 401 and not any(name.lower() == "www-authenticate" for name in headers):
        headers["WWW-Authenticate"] = CLIENT_CHALLENGE
    response = no_store_response(oauth2_error_body(status, error, description, **four_keys), status, headers)
    response.reason_code = error  # for the access log (`apiproject.access_log`)
    return response


def refusal_response(request, refusal):
    """A refusal of ours (the gate's, a rule's) in the guide's words, with the RFC's error code."""
    headers = {}
    if getattr(refusal, "wait", None) is not None:
        headers["Retry-After"] = str(whole_seconds(refusal.wait))
    response = oauth2_error_response(
        STATUS[refusal.code], RFC_ERRORS.get(refusal.code, "invalid_request"),
        refusal.additional or refusal.message, headers,
        message=refusal.message, additional=refusal.additional, reference=reference_url(refusal, request),
    )
    response.reason_code = refusal.code  # ours is more precise than the RFC's word
    return response


def throttled_response(wait):
    seconds = whole_seconds(wait or 1)
    response = oauth2_error_response(TOO_MANY_REQUESTS, "slow_down", f"Retry in {seconds} seconds.",
                                     {"Retry-After": str(seconds)})
    response.reason_code = "throttled"  # as DRF names its rate limit's refusal on /v2
    return response


def oauthlib_response(headers, body, status):
    """oauthlib's answer as a Django response; an error's body gains the four keys."""
    if status < 400:
        response = HttpResponse(body, status=status, content_type="application/json")
        for name, value in headers.items():
            response[name] = value
        return response
    try:
        data = json.loads(body or "{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    error = data.get("error") or "invalid_request"
    description = data.get("error_description") or error.replace("_", " ").capitalize() + "."
    # oauthlib's challenge names Bearer, the resource server's scheme: ours is the client's (Basic).
    headers = {name: value for name, value in headers.items()
               if name.lower() not in ("content-type", "www-authenticate")}
    return oauth2_error_response(status, error, description, headers)


# The endpoints for clients under /oauth2/ (not the consent page, which is for people).
CLIENT_ENDPOINTS = ("/oauth2/token", "/oauth2/revoke_token", "/oauth2/introspect", "/oauth2/device_authorization")
# Django's own errors (a request it cannot read, a bug), as these endpoints answer them.
DJANGO_ERRORS = {
    400: ("invalid_request", "The request could not be read."),
    403: ("invalid_request", "Forbidden."),
    404: ("invalid_request", "Not found."),
    413: ("invalid_request", "The request body is too large."),
    500: ("server_error", "Something went wrong on our side; try again later."),
}


def is_oauth2_client_endpoint(path):
    return path.rstrip("/") in CLIENT_ENDPOINTS


def django_error_response(status, additional=""):
    """`additional`: what exactly could not be read, when known (else the generic description)."""
    error, description = DJANGO_ERRORS[status]
    return oauth2_error_response(status, error, additional or description)
