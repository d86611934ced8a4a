"""The OAuth 2.0 consent page (`/oauth2/authorize`, RFC 6749 §4.1 with PKCE), as the signed-in user sees
it: the OAuth 1.0a authorize page's look and rules."""
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from accounts.services import account_suspend
from audit.models import AuditEvent
from consumers.services import consumer_revoke
from tests.factories import CALLBACK, make_consumer
from tests.oauth2.helpers import pkce_pair


@pytest.fixture
def browser(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def pkce():
    return pkce_pair()


def authorize_url(app, challenge, **params):
    query = {"response_type": "code", "client_id": app.client_key, "redirect_uri": CALLBACK,
             "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256", **params}
    return "/oauth2/authorize?" + urlencode({name: value for name, value in query.items() if value is not None})


def returned(response):
    """The query the client gets back on its redirect URI."""
    assert response.status_code == 302, response.content
    location = response["Location"]
    assert location.startswith(CALLBACK + "?")
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def test_login_required_and_the_request_survives_it(client, app, pkce):
    url = authorize_url(app, pkce[1])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/oauth2/authorize%3F")


def test_shows_the_app_its_developer_the_scopes_and_where_it_sends_you(browser, developer, pkce):
    reader = make_consumer(developer, name="Photo Printer", scopes="products:read account:read",
                           callback_url=CALLBACK)
    response = browser.get(authorize_url(reader, pkce[1], scope="products:read"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Photo Printer" in page and "developer" in page
    assert "Read your products" in page and "products:read" in page
    assert "account:read" not in page
    assert "you will be sent to\n    <strong>printer.example.com</strong>" in page
    assert 'value="authorize"' in page and "csrfmiddlewaretoken" in page
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_authorize_sends_a_code_that_buys_tokens_with_the_verifier(browser, app, pkce, token_call):
    url = authorize_url(app, pkce[1])
    answer = returned(browser.post(url, {"decision": "authorize"}))
    assert answer["state"] == "xyz" and answer["code"]
    assert answer["iss"] == "http://testserver"  # RFC 9207: the metadata's issuer, against mix-ups
    response = token_call(app, grant_type="authorization_code", code=answer["code"], redirect_uri=CALLBACK,
                          code_verifier=pkce[0])
    assert response.status_code == 200, response.content
    assert {"access_token", "refresh_token", "expires_in", "scope"} <= set(response.json())


def test_deny_sends_access_denied(browser, app, pkce):
    answer = returned(browser.post(authorize_url(app, pkce[1]), {"decision": "deny"}))
    assert answer["error"] == "access_denied" and answer["state"] == "xyz"


def test_csrf_protected(alice, app, pkce):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post(authorize_url(app, pkce[1]), {"decision": "authorize"}).status_code == 403


def test_a_redirect_uri_outside_the_callback_gets_a_page_not_a_redirect(browser, app, pkce):
    response = browser.get(authorize_url(app, pkce[1], redirect_uri="https://evil.example.com/oauth/ready"))
    assert response.status_code == 400
    assert "This authorization request is not valid" in response.content.decode()


def test_an_unknown_client_gets_a_page(browser, app, pkce):
    response = browser.get(authorize_url(app, pkce[1], client_id="no-such-client"))
    assert response.status_code == 400


def test_a_locked_user_is_told_why(browser, alice, app, pkce):
    account_suspend(user=alice, reason="billing")
    response = browser.get(authorize_url(app, pkce[1]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "No API Access" in page and "http://testserver/billing" in page


def test_the_rules_are_asked_again_on_post(browser, alice, app, pkce):
    url = authorize_url(app, pkce[1])
    assert browser.get(url).status_code == 200
    consumer_revoke(consumer=app)
    response = browser.post(url, {"decision": "authorize"})
    assert response.status_code == 403
    assert "This app cannot be authorized" in response.content.decode()


def test_a_stale_form_leads_back_to_the_same_request(alice, app, pkce):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    url = authorize_url(app, pkce[1])
    response = browser.post(url, {"decision": "authorize", "csrfmiddlewaretoken": "stale"})
    assert response.status_code == 403
    assert f'href="{url.replace("&", "&amp;")}"' in response.content.decode()


def test_implicit_grant_is_not_served(browser, app, pkce):
    response = browser.get(authorize_url(app, pkce[1], response_type="token"))
    answer = returned(response)
    assert answer["error"] == "unsupported_response_type"


def test_an_approval_lands_in_the_audit_trail(browser, alice, app, pkce):
    returned(browser.post(authorize_url(app, pkce[1]), {"decision": "authorize"}))
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_APPROVED)
    assert event.actor == alice and event.subject == app.client_key
    assert event.detail == {"user": "alice", "scopes": sorted(app.scope_list), "protocol": "oauth2"}


def test_a_denial_records_nothing(browser, app, pkce):
    returned(browser.post(authorize_url(app, pkce[1]), {"decision": "deny"}))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_APPROVED).exists()


def test_an_app_awaiting_review_is_for_its_owner_only(browser, developer, pkce, settings):
    settings.CLIENT_REVIEW = True
    pending = make_consumer(developer, callback_url=CALLBACK)
    response = browser.get(authorize_url(pending, pkce[1]))
    assert response.status_code == 403
    assert "App not yet approved" in response.content.decode()
    owner = Client()
    owner.force_login(developer)
    assert owner.get(authorize_url(pending, pkce[1])).status_code == 200


def test_an_app_without_a_callback_gets_a_page(browser, developer, pkce):
    oob_only = make_consumer(developer)
    response = browser.get(authorize_url(oob_only, pkce[1], redirect_uri=None))
    assert response.status_code == 400
    response = browser.get(authorize_url(oob_only, pkce[1], redirect_uri="https://printer.example.com/x"))
    assert response.status_code == 400


def test_the_redirect_uri_may_be_left_out_or_go_deeper_under_the_callback(browser, app, pkce, token_call):
    answer = returned(browser.post(authorize_url(app, pkce[1], redirect_uri=None), {"decision": "authorize"}))
    response = token_call(app, grant_type="authorization_code", code=answer["code"], code_verifier=pkce[0])
    assert response.status_code == 200, response.content
    deeper = CALLBACK + "/photos?album=1"
    response = browser.post(authorize_url(app, pkce[1], redirect_uri=deeper), {"decision": "authorize"})
    assert response["Location"].startswith(deeper + "&code=")
    code = parse_qs(urlsplit(response["Location"]).query)["code"][0]
    wrong = token_call(app, grant_type="authorization_code", code=code, code_verifier=pkce[0],
                       redirect_uri=CALLBACK)  # RFC 6749 §4.1.3: the same redirect_uri as asked with
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"  # §5.2 (issue 26, item 11)


def test_a_scope_the_client_does_not_hold_is_refused(browser, developer, pkce):
    reader = make_consumer(developer, scopes="products:read", callback_url=CALLBACK)
    answer = returned(browser.get(authorize_url(reader, pkce[1], scope="products:write")))
    assert answer["error"] == "invalid_scope"
