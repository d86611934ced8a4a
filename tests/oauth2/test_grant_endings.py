"""Every OAuth 2.0 grant ends when what ended it says so (issue 26, items 1-5): a client revoked or
rejected by staff, the user's Revoke on /account/apps, staff revoking a token in the admin, the client
revoking a refresh token (RFC 7009 §2.1), an authorization code used twice (RFC 6749 §4.1.2, §10.5).

Over HTTP as a client sees it (Django's test client: real database, real cache): after the ending,
the tokens are refused on /v2, inactive at introspection, and refresh nothing."""
import pytest

from tests.oauth2.helpers import approved_code, approved_tokens, client_auth

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
