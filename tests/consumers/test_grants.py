"""What users granted a client, across protocols: the authorized-apps page (one row per app, OAuth 1.0a
and 2.0 together; Revoke ends every token of the app for that user on the next request, refresh tokens
too) and the grant types the developer's app page names."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from consumers.scopes import SCOPES
from tests.factories import make_access_token, make_bearer_token, make_consumer, make_refresh_token, make_user
from tests.oauth1.signing import signed_send


@pytest.fixture
def browser(client, alice):
    client.force_login(alice)
    return client


def bearer(client, token):
    return client.get("/v2/products", HTTP_AUTHORIZATION=f"Bearer {token.value}")


def test_one_row_per_app_with_both_protocols(browser, app, alice):
    make_access_token(app, alice, scopes=["products:read"])
    make_bearer_token(app, alice, scopes=["account:read"])
    page = browser.get("/account/apps").content.decode()
    assert page.count('<td data-label="App">Printer</td>') == 1
    assert "<code>account:read</code> <code>products:read</code>" in page
    assert '<td data-label="Protocol">OAuth 1.0a, OAuth 2.0</td>' in page


def test_an_app_authorized_with_oauth2_only_is_listed_and_revocable(browser, client, app, alice):
    token = make_bearer_token(app, alice)
    page = browser.get("/account/apps").content.decode()
    assert '<td data-label="App">Printer</td>' in page and '<td data-label="Protocol">OAuth 2.0</td>' in page
    assert f'action="/account/apps/app/{app.pk}/revoke"' in page
    assert bearer(client, token).status_code == 200
    response = browser.post(f"/account/apps/app/{app.pk}/revoke", follow=True)
    assert "Printer can no longer use your account." in response.content.decode()
    assert "You have not authorized any apps." in response.content.decode()
    assert bearer(client, token).status_code == 401


def test_revoke_ends_every_token_of_the_app_for_that_user_both_protocols(browser, client, app, alice, developer):
    oauth1 = make_access_token(app, alice)
    access = make_bearer_token(app, alice)
    refresh = make_refresh_token(access)
    others = make_bearer_token(app, developer)  # another user's grant of the same app stays
    for_another_app = make_bearer_token(make_consumer(developer, name="Other"), alice)
    assert bearer(client, access).status_code == 200  # remembered in the shared store
    browser.post(f"/account/apps/{oauth1.pk}/revoke")  # the OAuth 1.0a row's form names a token
    assert signed_send(client, "GET", "/v2/products", app, token=oauth1).status_code == 401
    assert bearer(client, access).status_code == 401
    refresh.refresh_from_db()
    assert refresh.revoked is not None  # it can mint no new access token
    assert not get_access_token_model().objects.filter(pk=access.pk).exists()
    assert bearer(client, others).status_code == 200
    assert bearer(client, for_another_app).status_code == 200


def test_an_app_the_user_did_not_authorize_is_404(client, app, alice):
    make_bearer_token(app, alice)
    client.force_login(make_user("bob"))
    assert client.post(f"/account/apps/app/{app.pk}/revoke").status_code == 404
    assert get_access_token_model().objects.filter(application=app, user=alice).exists()


def test_a_live_refresh_token_keeps_the_app_listed(browser, app, alice):
    access = make_bearer_token(app, alice, expires_in=-60)
    make_refresh_token(access)
    assert '<td data-label="App">Printer</td>' in browser.get("/account/apps").content.decode()
    get_refresh_token_model().objects.update(revoked="2026-01-01T00:00:00Z")
    assert "You have not authorized any apps." in browser.get("/account/apps").content.decode()


# --- The developer's app page ---------------------------------------------------------------------


def grant_types(client, app):
    client.force_login(app.user)
    page = client.get(f"/apps/{app.pk}/").content.decode()
    start = page.index('id="grant-types">') + len('id="grant-types">')
    return page[start:page.index("</dd>", start)]


def test_the_app_page_names_the_grant_types_its_tokens_came_from(client, app, alice):
    assert "no tokens issued yet" in grant_types(client, app)
    make_access_token(app, alice)
    assert grant_types(client, app) == "OAuth 1.0a"
    make_refresh_token(make_bearer_token(app, alice))
    make_bearer_token(app, None)
    assert grant_types(client, app) == "OAuth 1.0a, authorization code, client credentials"


# --- The authorized-apps page in words, with each app's last use ------------------------------------------


def cell(page, label):
    """The text of each row's cell `label`, tags and spacing left out."""
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split())
            for text in re.findall(rf'<td data-label="{label}">(.*?)</td>', page.content.decode(), re.S)]


def test_scopes_read_in_words_as_on_the_consent_page(browser, app, alice):
    make_access_token(app, alice, scopes=["products:read"])
    make_bearer_token(app, alice, scopes=["account:read"])
    scopes = cell(browser.get("/account/apps"), "Scopes")
    assert scopes == [f"{SCOPES['account:read']} {SCOPES['products:read']} account:read products:read"]


def test_last_used_is_the_last_signed_request_or_the_last_oauth2_token(browser, client, app, alice):
    oauth1 = make_access_token(app, alice)
    assert cell(browser.get("/account/apps"), "Last used") == ["Never"]
    assert signed_send(client, "GET", "/v2/products", app, token=oauth1).status_code == 200
    oauth1.refresh_from_db()
    assert cell(browser.get("/account/apps"), "Last used") == [f"{oauth1.last_used:%Y-%m-%d %H:%M} UTC"]

    other = make_consumer(app.user, name="Reader")
    access = make_bearer_token(other, alice, expires_in=3600)
    get_access_token_model().objects.filter(pk=access.pk).update(created=timezone.now() - timedelta(days=2))
    newer = make_refresh_token(make_bearer_token(other, alice))  # a refresh: the app got a new token
    used = dict(zip(cell(browser.get("/account/apps"), "App"), cell(browser.get("/account/apps"), "Last used"),
                    strict=True))
    assert used["Reader"] == f"{max(newer.created, newer.access_token.created):%Y-%m-%d %H:%M} UTC"
