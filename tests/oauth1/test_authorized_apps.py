"""The user's page of apps she authorized, and what Revoke does to the app's next request."""
import re

import pytest

from tests.factories import make_access_token, make_consumer, make_user
from tests.oauth1.signing import signed_send


@pytest.fixture
def browser(client, alice):
    client.force_login(alice)
    return client


def test_login_required(client, db):
    response = client.get("/account/apps")
    assert response.status_code == 302 and response["Location"].startswith("/login")


def test_lists_each_authorized_app_with_developer_scopes_and_dates(browser, app, alice, developer):
    make_access_token(app, alice, scopes=["products:read"])
    page = browser.get("/account/apps").content.decode()
    assert "Printer" in page and developer.username in page
    assert "<code>products:read</code>" in page and "products:write" not in page
    assert "Never" in page  # last used
    assert "Revoke" in page


def test_lists_only_the_users_own_apps(browser, app):
    bob = make_user("bob")
    other = make_consumer(app.user, name="Bob's reader")
    make_access_token(other, bob)
    assert "Bob's reader" not in browser.get("/account/apps").content.decode()


def test_last_used_shows_after_a_signed_request(browser, client, app, alice_token):
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    alice_token.refresh_from_db()
    assert alice_token.last_used is not None
    assert "Never" not in browser.get("/account/apps").content.decode()


def test_revoke_stops_the_token_on_its_next_request(browser, client, app, alice_token):
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    response = browser.post(f"/account/apps/{alice_token.pk}/revoke", follow=True)
    assert response.status_code == 200
    assert "Printer can no longer use your account." in response.content.decode()
    assert "You have not authorized any apps." in response.content.decode()
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 401


def test_another_users_token_is_404(client, app, alice_token):
    bob = make_user("bob")
    client.force_login(bob)
    assert client.post(f"/account/apps/{alice_token.pk}/revoke").status_code == 404
    alice_token.refresh_from_db()
    assert alice_token.revoked_at is None


def test_revoke_needs_post(browser, alice_token):
    assert browser.get(f"/account/apps/{alice_token.pk}/revoke").status_code == 405


def test_staff_revoke_from_the_admin_stops_the_token(client, app, alice_token):
    staff = make_user("staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    listing = client.get("/admin/consumers/accesstoken/")
    assert listing.status_code == 200 and "Printer" in listing.content.decode()
    assert alice_token.secret not in listing.content.decode()
    response = client.post("/admin/consumers/accesstoken/", {
        "action": "revoke_access_tokens", "_selected_action": [alice_token.pk]})
    assert response.status_code == 302
    client.logout()
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 401


def test_one_row_per_app_and_revoke_ends_all_its_tokens(browser, client, app, alice):
    first = make_access_token(app, alice, scopes=["products:read"])
    second = make_access_token(app, alice, scopes=["account:read"])
    page = browser.get("/account/apps").content.decode()
    assert page.count("<td data-label=\"App\">Printer</td>") == 1
    assert "<code>account:read</code> <code>products:read</code>" in page
    assert re.search(r'<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>', page)
    assert "<summary>Revoke…</summary>" in page  # asks first
    browser.post(f"/account/apps/{second.pk}/revoke")
    for token in (first, second):
        assert signed_send(client, "GET", "/v2/products", app, token=token).status_code == 401
