"""The authorize page (RFC 5849 §2.2), as the signed-in user sees it."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.services import account_suspend
from consumers.oauth1.models import RequestToken
from consumers.services import consumer_revoke
from tests.factories import CALLBACK, make_consumer, make_request_token
from tests.oauth1.signing import signed_send


@pytest.fixture
def browser(client, alice):
    client.force_login(alice)
    return client


def decide(browser, request_token, decision):
    return browser.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": decision})


def test_login_required(client, app):
    request_token = make_request_token(app)
    response = client.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/oauth/authorize")


def test_shows_the_app_its_developer_and_the_scopes_asked(browser, developer):
    reader = make_consumer(developer, name="Photo Printer", scopes="products:read account:read")
    request_token = make_request_token(reader, scopes=["products:read"])
    response = browser.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Photo Printer" in page and "developer" in page
    assert "products:read" in page and "Read your products" in page
    assert "account:read" not in page  # only what this token asks for
    assert 'value="authorize"' in page and 'value="deny"' in page
    assert "csrfmiddlewaretoken" in page


def test_cannot_be_framed(browser, app):
    request_token = make_request_token(app)
    response = browser.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert response["X-Frame-Options"] == "DENY"


def test_csrf_protected(alice, app):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    request_token = make_request_token(app)
    response = decide(browser, request_token, "authorize")
    assert response.status_code == 403
    request_token.refresh_from_db()
    assert request_token.authorized_at is None and not request_token.verifier


def test_authorize_redirects_to_the_callback_keeping_its_query(browser, app, alice):
    request_token = make_request_token(app, callback=CALLBACK + "/step?state=a%20b&x=1")
    response = decide(browser, request_token, "authorize")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(CALLBACK + "/step?state=a%20b&x=1&oauth_token=")
    query = parse_qs(urlsplit(location).query)
    request_token.refresh_from_db()
    assert query["oauth_token"] == [request_token.key]
    assert query["oauth_verifier"] == [request_token.verifier]
    assert request_token.user == alice


def test_authorize_with_oob_shows_the_verifier_in_a_code_element(browser, app):
    request_token = make_request_token(app, callback="oob")
    response = decide(browser, request_token, "authorize")
    assert response.status_code == 200
    request_token.refresh_from_db()
    assert f"<code id=\"oauth-verifier\">{request_token.verifier}</code>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_deny_redirects_without_a_verifier_and_ends_the_token(browser, app):
    request_token = make_request_token(app, callback=CALLBACK)
    response = decide(browser, request_token, "deny")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query == {"oauth_token": [request_token.key], "denied": [request_token.key]}  # as Twitter's clients expect
    assert browser.get(f"/oauth/authorize?oauth_token={request_token.key}").status_code == 400
    request_token.refresh_from_db()
    assert request_token.used_at is not None and not request_token.verifier


def test_deny_with_oob_shows_a_page(browser, app):
    request_token = make_request_token(app, callback="oob")
    response = decide(browser, request_token, "deny")
    assert response.status_code == 200
    assert "You denied Printer access" in response.content.decode()
    assert "<code" not in response.content.decode()


@pytest.mark.parametrize("reason,message,additional", [
    ("billing", "No API Access", "The authenticated account is locked due to an unpaid balance."),
    ("terms", "API Access is disabled", "API access has been disabled for this user due to API terms violation."),
])
def test_locked_or_disabled_user_is_told_why_and_gets_no_verifier(browser, app, alice, reason, message,
                                                                   additional):
    request_token = make_request_token(app)
    account_suspend(user=alice, reason=reason)
    page = browser.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert page.status_code == 403
    assert message in page.content.decode() and additional in page.content.decode()
    assert 'value="authorize"' not in page.content.decode()
    response = decide(browser, request_token, "authorize")
    assert response.status_code == 403 and message in response.content.decode()
    request_token.refresh_from_db()
    assert not request_token.verifier and request_token.authorized_at is None


def test_revoked_app_cannot_be_authorized(browser, app):
    request_token = make_request_token(app)
    consumer_revoke(consumer=app)
    response = decide(browser, request_token, "authorize")
    assert response.status_code == 403
    assert "This app cannot be authorized" in response.content.decode()


@pytest.mark.parametrize("token_key", ["", "no-such-token"])
def test_unknown_token_is_a_page_not_a_crash(browser, token_key):
    response = browser.get(f"/oauth/authorize?oauth_token={token_key}")
    assert response.status_code == 400
    assert "This authorization request is not valid" in response.content.decode()


def test_expired_request_token(browser, app):
    request_token = make_request_token(app)
    RequestToken.objects.filter(pk=request_token.pk).update(expires_at=request_token.created)
    assert decide(browser, request_token, "authorize").status_code == 400


def test_a_token_is_authorized_once_by_one_user(browser, app, alice):
    request_token = make_request_token(app, callback=CALLBACK)
    first = decide(browser, request_token, "authorize")
    assert first.status_code == 302
    request_token.refresh_from_db()
    verifier = request_token.verifier
    again = decide(browser, request_token, "authorize")
    assert again.status_code == 400
    request_token.refresh_from_db()
    assert request_token.verifier == verifier and request_token.user == alice


def test_says_where_authorize_leads_and_keeps_the_developer_menu_away(browser, app):
    app.website = "https://printer.example.com/about"
    app.save()
    redirected = make_request_token(app, callback=CALLBACK)
    page = browser.get(f"/oauth/authorize?oauth_token={redirected.key}").content.decode()
    assert "you will be sent to\n    <strong>printer.example.com</strong>" in page
    assert "Your apps" not in page  # alice registered none: no developer menu
    assert 'class="link">Sign out</button>' in page  # "Not you?" is a quiet link, not a button
    oob = make_request_token(app, callback="oob")
    page = browser.get(f"/oauth/authorize?oauth_token={oob.key}").content.decode()
    assert "you will be shown a code" in page


def test_a_developer_keeps_the_menu_on_the_consent_page(browser, app, alice):
    make_consumer(alice, name="Alice's own")
    page = browser.get(f"/oauth/authorize?oauth_token={make_request_token(app).key}").content.decode()
    assert "Your apps" in page


def test_the_oob_verifier_is_short_unambiguous_and_typed_back_any_way(client, browser, app):
    request_token = make_request_token(app, callback="oob")
    decide(browser, request_token, "authorize")
    request_token.refresh_from_db()
    assert re.fullmatch(r"[2-9A-HJKMNP-TW-Z]{5}-[2-9A-HJKMNP-TW-Z]{5}", request_token.verifier)
    typed = request_token.verifier.replace("-", "").lower()  # as a person might type it
    response = signed_send(client, "POST", "/oauth/access_token", app, token=request_token, verifier=typed)
    assert response.status_code == 200, response.content
    again = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                        verifier=request_token.verifier)
    assert again.status_code == 401  # still single use
