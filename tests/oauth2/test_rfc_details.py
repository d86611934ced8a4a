"""The RFC details strict clients check (issue 26, items 8-14): RFC 9207's `iss` on every answer of
the authorization endpoint, RFC 8628 with HTTP Basic, RFC 7662 for refresh tokens, RFC 6749 §4.1.3's
redirect URI at the token endpoint, the OAuth challenge of a refused token exchange, RFC 7636's
challenge format, and the rate limit of introspection and revocation.

Over HTTP as a client sees it: Django's test client (real database, real cache), and requests-oauthlib
against a live server where a client library's own checks are the point."""
import time
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.services import account_suspend
from tests.oauth2.helpers import approved_code, approved_tokens, client_auth

pytestmark = pytest.mark.django_db

FORM = {"content_type": "application/x-www-form-urlencoded"}  # as RFC 8628 §3.1 requires


def introspect(client, app, token, **form):
    return client.post("/oauth2/introspect", {"token": token, **form}, **client_auth(app)).json()


def token_request(client, app, **form):
    return client.post("/oauth2/token", form, **client_auth(app))


# --- 10. RFC 7662: a refresh token that would refresh introspects as active ------------------------------


def test_a_live_refresh_token_is_active(client, app, alice):
    tokens = approved_tokens(app, alice)
    for hint in ({}, {"token_type_hint": "refresh_token"}, {"token_type_hint": "access_token"}):
        body = introspect(client, app, tokens["refresh_token"], **hint)
        assert body["active"] is True, body
        assert body["client_id"] == app.client_key and body["username"] == "alice"
        assert set(body["scope"].split()) == set(app.scope_list)
        assert body["exp"] > time.time() + 29 * 24 * 3600  # 30 days after its access token expires


def test_a_refresh_token_that_would_refresh_nothing_is_inactive(client, app, alice, developer):
    from tests.factories import make_consumer

    tokens = approved_tokens(app, alice)
    assert introspect(client, make_consumer(developer), tokens["refresh_token"]) == {"active": False}
    account_suspend(user=alice, reason="billing")
    assert introspect(client, app, tokens["refresh_token"]) == {"active": False}


def test_a_rotated_or_expired_refresh_token_is_inactive(client, app, alice):
    tokens = approved_tokens(app, alice)
    newer = token_request(client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    assert introspect(client, app, tokens["refresh_token"]) == {"active": False}
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(days=30, seconds=1))
    assert introspect(client, app, newer["refresh_token"]) == {"active": False}


# --- 11. RFC 6749 §4.1.3 and §5.2: the redirect URI at the token endpoint -------------------------------


def test_a_code_redeemed_with_another_redirect_uri_is_invalid_grant(client, app, alice):
    code, verifier = approved_code(app, alice, redirect_uri=app.callback_url + "/deeper")
    response = token_request(client, app, grant_type="authorization_code", code=code, code_verifier=verifier,
                             redirect_uri=app.callback_url)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant", response.content


def test_a_code_asked_for_with_a_redirect_uri_needs_it_at_the_token_endpoint(client, app, alice):
    code, verifier = approved_code(app, alice)
    response = token_request(client, app, grant_type="authorization_code", code=code, code_verifier=verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant", response.content
    code, verifier = approved_code(app, alice)
    response = token_request(client, app, grant_type="authorization_code", code=code, code_verifier=verifier,
                             redirect_uri=app.callback_url)
    assert response.status_code == 200, response.content


def test_a_code_asked_for_without_a_redirect_uri_needs_none(client, app, alice):
    code, verifier = approved_code(app, alice, redirect_uri="")
    response = token_request(client, app, grant_type="authorization_code", code=code, code_verifier=verifier)
    assert response.status_code == 200, response.content


# --- 9. RFC 8628 §3.1: a client authenticating with HTTP Basic names itself in no client_id -------------


def test_device_authorization_with_http_basic_and_no_client_id(client, app):
    response = client.post("/oauth2/device_authorization", "scope=products%3Aread", **FORM, **client_auth(app))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["device_code"] and body["user_code"] and body["scope"] == "products:read"


def test_device_authorization_with_a_wrong_basic_secret_is_invalid_client(client, app):
    response = client.post("/oauth2/device_authorization", "scope=products%3Aread", **FORM,
                           **client_auth(app, "wrong"))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client", response.content


# --- 8. RFC 9207: `iss` on every answer of the authorization endpoint, and said so in the metadata --------


def authorize(browser, app, decision=None, **params):
    from tests.oauth2.helpers import pkce_pair

    query = {"response_type": "code", "client_id": app.client_key, "redirect_uri": app.callback_url, "state": "s1",
             "code_challenge": pkce_pair()[1], "code_challenge_method": "S256", **params}
    url = "/oauth2/authorize?" + urlencode({name: value for name, value in query.items() if value is not None})
    response = browser.post(url, {"decision": decision}) if decision else browser.get(url)
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(app.callback_url + "?")
    return dict(parse_qsl(urlsplit(response["Location"]).query))


@pytest.mark.parametrize(("decision", "params", "error"), [
    ("deny", {}, "access_denied"),
    (None, {"code_challenge": None, "code_challenge_method": None}, "invalid_request"),  # PKCE missing
    (None, {"response_type": "token"}, "unsupported_response_type"),
])
def test_an_error_answer_names_the_issuer(client, app, alice, decision, params, error):
    client.force_login(alice)
    answer = authorize(client, app, decision, **params)
    assert answer["error"] == error and answer["state"] == "s1"
    assert answer["iss"] == client.get("/.well-known/oauth-authorization-server").json()["issuer"]


def test_the_metadata_says_every_answer_names_the_issuer(client):
    assert client.get("/.well-known/oauth-authorization-server").json()[
        "authorization_response_iss_parameter_supported"] is True


# --- 12. A refused token exchange (OAuth 1.0a) is challenged with OAuth --------------------------------


def test_a_refused_token_exchange_is_challenged_with_oauth(client, app, alice_token):
    from tests.oauth2.test_token_exchange import exchange

    response = exchange(client, app, alice_token, consumer_secret="wrong")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"] == 'OAuth realm="api"'


def test_a_refused_client_at_the_token_endpoint_is_challenged_with_basic(client, app):
    response = client.post("/oauth2/token", {"grant_type": "client_credentials"}, **client_auth(app, "wrong"))
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith('Basic realm="api"')


# --- 13. RFC 7636 §4.2: a code_challenge no verifier can match is refused at once ----------------------


@pytest.mark.parametrize("challenge", ["short", "x" * 42, "x" * 44, "+" * 43, "a" * 42 + "=", "x" * 128])
def test_a_malformed_code_challenge_is_refused(client, app, alice, challenge):
    client.force_login(alice)
    answer = authorize(client, app, code_challenge=challenge)
    assert answer["error"] == "invalid_request" and "code_challenge" in answer["error_description"]


# --- 14. Introspection and revocation count against the client key's rate limit ------------------------


@pytest.mark.parametrize("path", ["/oauth2/introspect", "/oauth2/revoke_token"])
def test_introspection_and_revocation_count_against_the_client_keys_budget(client, app, rates, path):
    rates(client_key="2/hour", account="1000/hour")
    first = client.post(path, {"token": "anything"}, **client_auth(app))
    assert first.status_code == 200 and first["X-RateLimit-Remaining"] == "1"
    assert client.post(path, {"token": "anything"}, **client_auth(app, "wrong")).status_code == 401  # not counted
    assert client.post(path, {"token": "anything"}, **client_auth(app)).status_code == 200
    refused = client.post(path, {"token": "anything"}, **client_auth(app))
    assert refused.status_code == 429 and refused.json()["error"] == "slow_down"
    assert int(refused["Retry-After"]) > 0
