"""The device authorization grant's endpoint, polling answers and page rules (RFC 8628), with Django's
test client: each test is about one answer. The browser walk is in test_device_flow.py."""
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_device_grant_model

from accounts.services import account_suspend
from audit.models import AuditEvent
from consumers.oauth2.device_attempts import WRONG_CODES_PER_USER
from consumers.services import consumer_revoke
from tests import factories

pytestmark = pytest.mark.django_db

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
FOUR_KEYS = {"status", "message", "additional", "reference"}


def form_post(client, path, data):
    """As RFC 6749 and 8628 say: form-encoded (Django's test client would send multipart)."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")


def ask(client, app, **extra):
    data = {"client_id": app.client_key, "client_secret": app.client_secret, **extra}
    return form_post(client, "/oauth2/device_authorization", data)


def poll(client, app, device_code):
    return form_post(client, "/oauth2/token", {"grant_type": DEVICE_CODE, "device_code": device_code,
                                               "client_id": app.client_key, "client_secret": app.client_secret})


def grant_of(codes):
    return get_device_grant_model().objects.get(device_code=codes["device_code"])


def approve(alice_browser, codes, decision="authorize"):
    return alice_browser.post("/oauth2/device", {"user_code": codes["user_code"], "decision": decision})


@pytest.fixture
def codes(client, app):
    response = ask(client, app)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def alice_browser(alice):
    browser = Client()
    browser.force_login(alice)
    return browser


# --- The device asks for a code -----------------------------------------------------------------------


def test_without_scope_the_device_is_given_the_clients_scopes(codes, app):
    assert grant_of(codes).scope.split() == app.scope_list


def test_the_scope_asked_is_kept(client, app):
    codes = ask(client, app, scope="account:read").json()
    assert grant_of(codes).scope == "account:read"


def test_a_scope_the_client_does_not_hold_is_refused(client, developer):
    reader = factories.make_consumer(developer, scopes="products:read")
    response = ask(client, reader, scope="products:write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_client_that_cannot_authenticate_gets_no_code(client, app, secret):
    response = form_post(client, "/oauth2/device_authorization", {"client_id": app.client_key, "client_secret": secret})
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client" and set(body) >= FOUR_KEYS
    assert not get_device_grant_model().objects.exists()


def test_a_revoked_client_gets_no_code(client, app):
    consumer_revoke(consumer=app)
    response = ask(client, app)
    assert response.status_code in (401, 403)
    assert not get_device_grant_model().objects.exists()


def test_a_client_whose_owner_is_disabled_gets_no_code(client, app, developer):
    account_suspend(user=developer, reason="terms")
    response = ask(client, app)
    assert response.status_code == 403
    assert response.json()["message"] == "API Access is disabled"
    assert not get_device_grant_model().objects.exists()


def test_the_endpoint_takes_post_only(client):
    assert client.get("/oauth2/device_authorization").status_code == 405


# --- The device polls -------------------------------------------------------------------------------


def test_polling_faster_than_the_interval_is_told_to_slow_down(client, app, codes):
    assert poll(client, app, codes["device_code"]).json()["error"] == "authorization_pending"
    too_soon = poll(client, app, codes["device_code"])
    assert too_soon.status_code == 400 and too_soon.json()["error"] == "slow_down"
    assert grant_of(codes).interval == codes["interval"] + 5  # RFC 8628 §3.5: 5 seconds more from now on


def test_an_expired_device_code_answers_expired_token(client, app, codes):
    get_device_grant_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = poll(client, app, codes["device_code"])
    assert response.status_code == 400 and response.json()["error"] == "expired_token"


def test_another_clients_device_code_is_an_invalid_grant(client, app, developer, codes):
    other = factories.make_consumer(developer)
    response = poll(client, other, codes["device_code"])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_denied_answers_access_denied(client, app, codes, alice_browser):
    approve(alice_browser, codes, decision="deny")
    response = poll(client, app, codes["device_code"])
    assert response.status_code == 400 and response.json()["error"] == "access_denied"


def test_approved_then_locked_user_gets_no_tokens_and_our_403(client, app, codes, alice, alice_browser):
    assert approve(alice_browser, codes).status_code == 302
    account_suspend(user=alice, reason="billing")
    response = poll(client, app, codes["device_code"])
    assert response.status_code == 403
    body = response.json()
    assert body["message"] == "No API Access" and body["reference"] == "http://testserver/billing"
    assert "access_token" not in body


def test_approved_gives_tokens_for_the_approving_user_once(client, app, codes, alice, alice_browser):
    approve(alice_browser, codes)
    issued = poll(client, app, codes["device_code"])
    assert issued.status_code == 200, issued.content
    assert issued["Cache-Control"] == "no-store"
    assert issued.json()["scope"] == " ".join(app.scope_list)
    again = poll(client, app, codes["device_code"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    approval = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_APPROVED)
    assert approval.actor == alice and approval.subject == app.client_key


# --- The page -----------------------------------------------------------------------------------------


def test_the_page_asks_for_a_login_first(client):
    response = client.get("/oauth2/device?user_code=WDJB-MJHT")
    assert response.status_code == 302 and response["Location"].startswith("/login?next=")


def test_the_page_is_never_framed_nor_cached(alice_browser):
    response = alice_browser.get("/oauth2/device")
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_the_page_refuses_a_post_without_the_csrf_token(alice, codes):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert approve(browser, codes).status_code == 403
    assert grant_of(codes).status == get_device_grant_model().AUTHORIZATION_PENDING


def test_the_consent_shows_the_app_its_owner_and_the_scopes_in_words(alice_browser, codes):
    page = alice_browser.post("/oauth2/device", {"user_code": codes["user_code"].lower()}).content.decode()
    assert "<strong>Printer</strong>, an app by <strong>developer</strong>" in page
    assert "Read your products" in page and "Create, change and delete your products" in page
    assert grant_of(codes).status == get_device_grant_model().AUTHORIZATION_PENDING  # nothing answered yet


def test_a_wrong_code_is_said_so_and_counted_until_no_code_is_accepted(alice_browser, codes):
    for _ in range(WRONG_CODES_PER_USER):
        wrong = alice_browser.post("/oauth2/device", {"user_code": "ZZZZ-ZZZZ"})
        assert wrong.status_code == 400 and "That code is not valid" in wrong.content.decode()
    refused = alice_browser.post("/oauth2/device", {"user_code": codes["user_code"]})
    assert refused.status_code == 429  # the right code too: a guesser cannot tell
    assert grant_of(codes).status == get_device_grant_model().AUTHORIZATION_PENDING


def test_the_limit_counts_per_user_so_another_person_can_still_enter_theirs(alice_browser, codes, db):
    for _ in range(WRONG_CODES_PER_USER):
        alice_browser.post("/oauth2/device", {"user_code": "ZZZZ-ZZZZ"}, REMOTE_ADDR="203.0.113.9")
    bob = Client()
    bob.force_login(factories.make_user("bob"))
    assert bob.post("/oauth2/device", {"user_code": codes["user_code"]}).status_code == 200


def test_a_locked_user_is_told_why(alice, alice_browser, codes):
    account_suspend(user=alice, reason="billing")
    for response in [alice_browser.get("/oauth2/device"), approve(alice_browser, codes)]:
        assert response.status_code == 403
        page = response.content.decode()
        assert "No API Access" in page and "locked due to an unpaid balance" in page
    assert grant_of(codes).status == get_device_grant_model().AUTHORIZATION_PENDING


def test_a_disabled_user_is_told_why(alice, alice_browser):
    account_suspend(user=alice, reason="terms")
    response = alice_browser.get("/oauth2/device")
    assert response.status_code == 403 and "API Access is disabled" in response.content.decode()


def test_a_client_revoked_while_the_code_waits_cannot_be_approved(app, alice_browser, codes):
    consumer_revoke(consumer=app)
    response = approve(alice_browser, codes)
    assert response.status_code == 403 and "This app cannot be authorized" in response.content.decode()
    assert grant_of(codes).status == get_device_grant_model().AUTHORIZATION_PENDING


def test_a_client_whose_owner_is_disabled_cannot_be_approved(developer, alice_browser, codes):
    account_suspend(user=developer, reason="terms")
    assert approve(alice_browser, codes).status_code == 403


def test_a_device_code_no_database_can_hold_is_an_invalid_grant(client, app):
    response = poll(client, app, "nul\x00byte")  # PostgreSQL refuses NUL in text: never a 500
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_client_key_no_database_can_hold_gets_no_code(client):
    response = form_post(client, "/oauth2/device_authorization", {"client_id": "nul\x00byte", "client_secret": "x"})
    assert response.status_code in (400, 401) and response.json()["error"] in ("invalid_request", "invalid_client")


def test_a_client_key_no_database_can_hold_is_refused_at_the_token_endpoint_too(client):
    response = form_post(client, "/oauth2/token", {"grant_type": "client_credentials", "client_id": "nul\x00byte",
                                                   "client_secret": "x"})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
