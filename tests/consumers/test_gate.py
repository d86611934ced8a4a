"""Django's `is_active` counts everywhere: a user deactivated by staff can no longer use any credentials
(401), and the clients such a user owns stop working for everyone (403 `Invalid client key`).

docs/contract.md, "Accounts": staff may deactivate a Django user; the change takes effect on the very next
request. Every request here follows the state change at once: no waiting, no cache to expire.

Signed by oauthlib's client, sent through Django's test client: real database, real cache.
"""
import pytest

from consumers.oauth1.models import AccessToken
from consumers.oauth1.services import access_token_revoke
from consumers.services import consumer_review
from tests.factories import (
    CALLBACK,
    basic_header,
    make_access_token,
    make_consumer,
    make_request_token,
    make_user,
)
from tests.oauth1.signing import signed_send

COULD_NOT_AUTHENTICATE = "Could not authenticate:"
INVALID_CLIENT_KEY = {"status": 403, "message": "Invalid client key", "additional": "", "reference": ""}


@pytest.fixture
def browser(client, alice):
    client.force_login(alice)
    return client


def deactivate(user):
    """What staff do in the admin: untick "Active"."""
    user.is_active = False
    user.save()


def reactivate(user):
    user.is_active = True
    user.save()


def refused(response, status, message):
    """The response is the contract's four-key JSON error; returns the body for further checks."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message", "additional", "reference"}
    assert (body["status"], body["message"]) == (status, message)
    assert isinstance(body["additional"], str) and isinstance(body["reference"], str)
    return body


def products(client, app, token):
    return signed_send(client, "GET", "/v2/products", app, token=token)


def request_token_call(client, app):
    return signed_send(client, "POST", "/oauth/request_token", app, callback="oob")


def exchange(client, app, request_token):
    return signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                       verifier=request_token.verifier)


# --- 1. HTTP Basic: a deactivated user cannot sign in with its own client key -------------------------


def test_basic_deactivated_user_is_401(api, aladdin):
    deactivate(aladdin)
    body = refused(api.get("/v2"), 401, COULD_NOT_AUTHENTICATE)
    assert body["reference"] == ""


def test_basic_deactivated_user_is_401_even_after_a_successful_request(api, aladdin):
    """The password verified a moment ago is remembered; being remembered must not let it in."""
    assert api.get("/v2").status_code == 200
    assert api.get("/v2/products").status_code == 200
    deactivate(aladdin)
    response = api.get("/v2")
    refused(response, 401, COULD_NOT_AUTHENTICATE)
    assert 'Basic realm="api"' in response["WWW-Authenticate"]
    refused(api.get("/v2/products"), 401, COULD_NOT_AUTHENTICATE)


def test_basic_deactivated_user_gets_the_same_answer_as_a_wrong_password(client, aladdin, aladdin_key,
                                                                         password):
    """One text for every bad credential: the answer does not say the account exists but is off."""
    def call(secret):
        return client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", secret),
                          HTTP_X_CLIENT_KEY=aladdin_key.client_key)

    wrong_password = refused(call("not the password"), 401, COULD_NOT_AUTHENTICATE)
    deactivate(aladdin)
    assert refused(call(password), 401, COULD_NOT_AUTHENTICATE) == wrong_password


# --- 2. OAuth 1.0a: a deactivated token user ----------------------------------------------------------


def test_oauth_token_of_a_deactivated_user_is_401(client, app, alice, alice_token):
    assert products(client, app, alice_token).status_code == 200
    deactivate(alice)
    response = products(client, app, alice_token)
    refused(response, 401, COULD_NOT_AUTHENTICATE)
    assert 'OAuth realm="api"' in response["WWW-Authenticate"]


def test_oauth_deactivated_user_gets_the_same_answer_as_a_revoked_token(client, app, alice, alice_token):
    """One text for every bad credential: nothing tells the caller the user exists but is off."""
    bobs_token = make_access_token(app, make_user("bob"))
    access_token_revoke(access_token=bobs_token)
    revoked = refused(products(client, app, bobs_token), 401, COULD_NOT_AUTHENTICATE)
    deactivate(alice)
    assert refused(products(client, app, alice_token), 401, COULD_NOT_AUTHENTICATE) == revoked


# --- 3. OAuth 1.0a: the client's developer deactivated -----------------------------------------------


def test_oauth_deactivated_developer_stops_every_token_of_the_app(client, app, developer, alice_token):
    assert products(client, app, alice_token).status_code == 200
    deactivate(developer)
    assert refused(products(client, app, alice_token), 403, "Invalid client key") == INVALID_CLIENT_KEY
    refused(signed_send(client, "GET", "/v2", app, token=alice_token), 403, "Invalid client key")


def test_oauth_deactivated_developer_stops_only_that_developers_apps(client, app, developer, alice,
                                                                     alice_token):
    other_app = make_consumer(make_user("scanner-developer"), name="Scanner")
    other_token = make_access_token(other_app, alice)
    deactivate(developer)
    refused(products(client, app, alice_token), 403, "Invalid client key")
    assert products(client, other_app, other_token).status_code == 200


# --- 4. /oauth/request_token --------------------------------------------------------------------------


def test_request_token_for_a_deactivated_developers_app_is_403(client, app, developer):
    assert request_token_call(client, app).status_code == 200
    deactivate(developer)
    assert refused(request_token_call(client, app), 403, "Invalid client key") == INVALID_CLIENT_KEY


# --- 5. /oauth/access_token ---------------------------------------------------------------------------


def test_access_token_when_the_authorizing_user_was_deactivated_since_is_401(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    deactivate(alice)
    response = exchange(client, app, request_token)
    refused(response, 401, COULD_NOT_AUTHENTICATE)
    assert 'OAuth realm="api"' in response["WWW-Authenticate"]
    assert not AccessToken.objects.filter(user=alice).exists()


def test_access_token_when_the_developer_was_deactivated_since_is_403(client, app, developer, alice):
    request_token = make_request_token(app, authorized_by=alice)
    deactivate(developer)
    assert refused(exchange(client, app, request_token), 403, "Invalid client key") == INVALID_CLIENT_KEY
    assert not AccessToken.objects.filter(consumer=app).exists()


# --- 6. The authorize page: a page for people, not JSON ----------------------------------------------


def test_authorize_page_for_a_deactivated_developers_app_is_refused(browser, app, developer):
    request_token = make_request_token(app)
    deactivate(developer)
    page = browser.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "This app cannot be authorized" in html
    assert 'value="authorize"' not in html  # no button to press


def test_authorizing_a_deactivated_developers_app_issues_no_verifier(browser, app, developer):
    request_token = make_request_token(app)
    page = browser.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert page.status_code == 200  # the page was open before staff acted
    deactivate(developer)
    response = browser.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "authorize"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "This app cannot be authorized" in response.content.decode()
    request_token.refresh_from_db()
    assert not request_token.verifier and request_token.authorized_at is None


def test_a_deactivated_user_is_signed_out_of_the_authorize_page(browser, app, alice):
    request_token = make_request_token(app)
    deactivate(alice)
    response = browser.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "authorize"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/oauth/authorize")
    request_token.refresh_from_db()
    assert not request_token.verifier and request_token.authorized_at is None


# --- 7. Reactivating restores access on the next request ---------------------------------------------


def test_basic_reactivated_user_gets_in_on_the_next_request(api, aladdin):
    deactivate(aladdin)
    refused(api.get("/v2"), 401, COULD_NOT_AUTHENTICATE)
    reactivate(aladdin)
    response = api.get("/v2")
    assert response.status_code == 200, response.content
    assert response.json()["account"]["username"] == "Aladdin"


def test_oauth_reactivated_developers_app_works_again_on_the_next_request(client, app, developer,
                                                                          alice_token):
    deactivate(developer)
    refused(products(client, app, alice_token), 403, "Invalid client key")
    reactivate(developer)
    assert products(client, app, alice_token).status_code == 200
    assert request_token_call(client, app).status_code == 200


# --- 8. A client awaiting review (CLIENT_REVIEW) works for its owner only; rejected is revoked ---------


APP_NOT_YET_APPROVED = {"status": 403, "message": "App not yet approved",
                        "additional": "This app is awaiting review and can only be used by its owner's account.",
                        "reference": ""}


@pytest.fixture
def pending_app(settings, developer):
    settings.CLIENT_REVIEW = True
    return make_consumer(developer, name="Unreviewed", callback_url=CALLBACK)


def test_pending_app_gets_request_tokens_the_owner_may_approve(client, pending_app, developer):
    """At the request-token step nobody is known yet: the owner may be the one who approves."""
    assert request_token_call(client, pending_app).status_code == 200
    owners = make_request_token(pending_app, authorized_by=developer)
    assert exchange(client, pending_app, owners).status_code == 200


def test_pending_app_cannot_exchange_another_users_approval(client, pending_app, alice):
    alices = make_request_token(pending_app, authorized_by=alice)
    assert refused(exchange(client, pending_app, alices), 403, "App not yet approved") == APP_NOT_YET_APPROVED


def test_pending_app_authorize_post_refuses_another_user(browser, pending_app):
    request_token = make_request_token(pending_app)
    response = browser.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "authorize"})
    assert response.status_code == 403 and "This app is awaiting review" in response.content.decode()
    request_token.refresh_from_db()
    assert not request_token.verifier and request_token.authorized_at is None


def test_pending_app_works_with_basic_for_its_owner(client, settings, aladdin, password):
    settings.CLIENT_REVIEW = True
    key = make_consumer(aladdin)
    response = client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                          HTTP_X_CLIENT_KEY=key.client_key)
    assert response.status_code == 200


def test_rejected_app_is_refused_like_a_revoked_one(client, app, alice_token):
    consumer_review(consumer=app, status="rejected")
    assert refused(products(client, app, alice_token), 403, "Invalid client key") == INVALID_CLIENT_KEY
    refused(request_token_call(client, app), 403, "Invalid client key")
