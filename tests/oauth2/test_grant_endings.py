"""Every OAuth 2.0 grant ends when what ended it says so (issue 26, items 1-5): a client revoked or
rejected by staff, the user's Revoke on /account/apps, staff revoking a token in the admin, the client
revoking a refresh token (RFC 7009 §2.1), an authorization code used twice (RFC 6749 §4.1.2, §10.5).

Over HTTP as a client sees it (Django's test client: real database, real cache): after the ending,
the tokens are refused on /v2, inactive at introspection, and refresh nothing."""
import pytest
from django.test import Client

from consumers.models import ReviewStatus
from consumers.services import consumer_reinstate, consumer_review, consumer_revoke
from tests.factories import make_request_token
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import approved_code, approved_tokens, client_auth
from tests.oauth2.test_device import approve, ask, poll

pytestmark = pytest.mark.django_db


def works(client, tokens):
    return client.get("/v2", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").status_code == 200


def refresh(client, app, refresh_token):
    return client.post("/oauth2/token", {"grant_type": "refresh_token", "refresh_token": refresh_token},
                       **client_auth(app))


def redeem(client, app, code, verifier):
    return client.post("/oauth2/token", {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                                         "redirect_uri": app.callback_url}, **client_auth(app))


def assert_ended(client, app, tokens):
    assert not works(client, tokens)
    introspected = client.post("/oauth2/introspect", {"token": tokens["access_token"]}, **client_auth(app))
    assert introspected.json() == {"active": False}
    response = refresh(client, app, tokens["refresh_token"])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant", response.content


# --- 1. A client staff revoked or rejected brings no OAuth 2.0 token back ---------------------------------


def test_reinstating_a_revoked_client_brings_back_none_of_its_oauth2_tokens(client, app, alice, developer):
    tokens = approved_tokens(app, alice)
    owners = client.post("/oauth2/token", {"grant_type": "client_credentials"}, **client_auth(app)).json()
    consumer_revoke(consumer=app)
    assert not works(client, tokens) and not works(client, owners)  # the gate, while revoked
    consumer_reinstate(consumer=app)
    assert not works(client, owners)
    assert_ended(client, app, tokens)
    assert works(client, approved_tokens(app, alice))  # the app works again, with new consent


def test_accepting_a_rejected_client_brings_back_none_of_its_oauth2_tokens(client, app, alice, settings):
    tokens = approved_tokens(app, alice)
    consumer_review(consumer=app, status=ReviewStatus.REJECTED, note="no")
    consumer_review(consumer=app, status=ReviewStatus.APPROVED)
    assert_ended(client, app, tokens)


def test_a_device_approved_before_the_client_was_revoked_gets_nothing_after(client, app, alice):
    codes = ask(client, app).json()
    browser = Client()
    browser.force_login(alice)
    assert approve(browser, codes).status_code == 302
    consumer_revoke(consumer=app)
    consumer_reinstate(consumer=app)
    response = poll(client, app, codes["device_code"])
    assert response.status_code == 400 and response.json()["error"] == "access_denied", response.content


# --- 2. The user's Revoke on /account/apps ends what is approved but not yet exchanged -------------------


def test_revoke_denies_a_device_code_approved_but_not_yet_polled_for(client, app, alice):
    tokens = approved_tokens(app, alice)  # so the app is on her page
    codes = ask(client, app).json()
    browser = Client()
    browser.force_login(alice)
    assert approve(browser, codes).status_code == 302
    assert browser.post(f"/account/apps/app/{app.pk}/revoke").status_code == 302
    response = poll(client, app, codes["device_code"])
    assert response.status_code == 400 and response.json()["error"] == "access_denied", response.content
    assert not works(client, tokens)


def test_revoke_ends_an_oauth1_request_token_authorized_but_not_yet_exchanged(client, app, alice):
    tokens = approved_tokens(app, alice)
    request_token = make_request_token(app, authorized_by=alice)
    browser = Client()
    browser.force_login(alice)
    assert browser.post(f"/account/apps/app/{app.pk}/revoke").status_code == 302
    response = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                           verifier=request_token.verifier)
    assert response.status_code == 401, response.content
    assert not works(client, tokens)


def test_revoke_leaves_another_users_request_token_alone(client, app, alice, developer):
    approved_tokens(app, alice)
    request_token = make_request_token(app, authorized_by=developer)
    browser = Client()
    browser.force_login(alice)
    browser.post(f"/account/apps/app/{app.pk}/revoke")
    response = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                           verifier=request_token.verifier)
    assert response.status_code == 200, response.content


# --- 4. Revoking a refresh token already rotated ends the grant (RFC 7009 §2.1) -------------------------


def test_revoking_a_rotated_refresh_token_ends_the_newer_tokens_of_its_grant(client, app, alice):
    first = approved_tokens(app, alice)
    response = refresh(client, app, first["refresh_token"])
    assert response.status_code == 200
    second = response.json()
    assert works(client, second)
    response = client.post("/oauth2/revoke_token", {"token": first["refresh_token"],
                                                    "token_type_hint": "refresh_token"}, **client_auth(app))
    assert response.status_code == 200
    assert_ended(client, app, second)


def test_revoking_another_clients_refresh_token_ends_nothing(client, app, alice, developer):
    from tests.factories import make_consumer

    tokens = approved_tokens(app, alice)
    other = make_consumer(developer)
    response = client.post("/oauth2/revoke_token", {"token": tokens["refresh_token"]}, **client_auth(other))
    assert response.status_code == 200
    assert works(client, tokens)
    assert refresh(client, app, tokens["refresh_token"]).status_code == 200


# --- 5. A code used twice ends what its first use gave (RFC 6749 §4.1.2, §10.5) ------------------------


def test_a_reused_code_is_refused_and_ends_the_tokens_its_first_use_gave(client, app, alice):
    code, verifier = approved_code(app, alice)
    response = redeem(client, app, code, verifier)
    assert response.status_code == 200
    first = response.json()
    rotated = refresh(client, app, first["refresh_token"]).json()  # the grant's later tokens end too
    assert works(client, rotated)
    again = redeem(client, app, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert_ended(client, app, rotated)


def test_another_codes_tokens_are_left_alone(client, app, alice):
    code, verifier = approved_code(app, alice)
    assert redeem(client, app, code, verifier).status_code == 200
    other = approved_tokens(app, alice)
    assert redeem(client, app, code, verifier).status_code == 400
    assert works(client, other)
