"""Our OAuth 2.0 rules (`consumers.oauth2.policy`): PKCE with S256 only, the gate before any token.

PKCE refusals go back to the client's redirect URI (RFC 6749 §4.1.2.1) before the consent page shows."""
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from accounts.services import account_restore, account_suspend
from tests.factories import CALLBACK
from tests.oauth2.helpers import pkce_pair


@pytest.fixture
def browser(client, alice):
    client.force_login(alice)
    return client


def authorize(browser, app, **pkce):
    query = {"response_type": "code", "client_id": app.client_key, "redirect_uri": CALLBACK, "state": "s1", **pkce}
    return browser.get("/oauth2/authorize?" + urlencode(query))


def error_sent_back(response):
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(CALLBACK + "?")
    answer = {name: values[0] for name, values in parse_qs(urlsplit(response["Location"]).query).items()}
    assert answer["state"] == "s1" and "code" not in answer
    return answer


def test_a_request_without_a_code_challenge_is_refused(browser, app):
    answer = error_sent_back(authorize(browser, app))
    assert answer["error"] == "invalid_request"


def test_the_plain_method_is_refused(browser, app):
    verifier, _ = pkce_pair()
    answer = error_sent_back(authorize(browser, app, code_challenge=verifier, code_challenge_method="plain"))
    assert answer["error"] == "invalid_request"
    assert "S256" in answer["error_description"]


def test_a_challenge_without_a_method_is_refused_as_plain(browser, app):
    verifier, _ = pkce_pair()
    answer = error_sent_back(authorize(browser, app, code_challenge=verifier))
    assert answer["error"] == "invalid_request"


def approved_code(browser, app, challenge):
    url = "/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": app.client_key, "redirect_uri": CALLBACK,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    response = browser.post(url, {"decision": "authorize"})
    return parse_qs(urlsplit(response["Location"]).query)["code"][0]


def test_the_code_needs_the_right_verifier(browser, app, token_call):
    verifier, challenge = pkce_pair()
    code = approved_code(browser, app, challenge)
    response = token_call(app, grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                          code_verifier=pkce_pair()[0])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    response = token_call(app, grant_type="authorization_code", code=code, redirect_uri=CALLBACK)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_the_gate_is_asked_before_a_code_buys_tokens(browser, alice, app, token_call):
    verifier, challenge = pkce_pair()
    code = approved_code(browser, app, challenge)
    account_suspend(user=alice, reason="billing")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    response = token_call(app, **form)
    assert response.status_code == 403
    assert response.json()["message"] == "No API Access"
    account_restore(user=alice)
    assert token_call(app, **form).status_code == 200  # the refusal spent nothing


def test_a_refresh_for_a_locked_user_is_refused_and_the_refresh_token_kept(browser, alice, app, token_call):
    verifier, challenge = pkce_pair()
    code = approved_code(browser, app, challenge)
    tokens = token_call(app, grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                        code_verifier=verifier).json()
    account_suspend(user=alice, reason="terms")
    response = token_call(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert response.status_code == 403
    assert response.json()["message"] == "API Access is disabled"
    account_restore(user=alice)
    assert token_call(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).status_code == 200


def test_a_deactivated_user_cannot_refresh(browser, alice, app, token_call):
    verifier, challenge = pkce_pair()
    code = approved_code(browser, app, challenge)
    tokens = token_call(app, grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                        code_verifier=verifier).json()
    alice.is_active = False
    alice.save()
    response = token_call(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_grant"
    assert response.json()["message"] == "Could not authenticate:"
