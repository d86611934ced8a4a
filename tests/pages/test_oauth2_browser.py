"""OAuth 2.0's authorization code flow with PKCE, approved by a person in a real browser (Debian chromium,
Playwright); the app side is requests-oauthlib's OAuth2Session against the live server: the token is
refreshed (the old refresh token is then refused), used on /v2/products, and revoked (the next call refused)."""
import pytest
import requests
from requests_oauthlib import OAuth2Session

from tests.pages.conftest import assert_accessible, register_app, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

DEVELOPER_PASSWORD = "developer pass phrase 1"
USER_PASSWORD = "end user pass phrase 2"


@pytest.fixture(autouse=True)
def _plain_http_for_the_live_server(monkeypatch):
    """oauthlib refuses plain HTTP unless told; the live server speaks nothing else."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


def test_authorization_code_with_pkce_approved_in_the_browser_refreshed_then_revoked(new_page, live_server):
    base = live_server.url
    developer = new_page()
    sign_up(developer, "devon", DEVELOPER_PASSWORD)
    callback = f"{base}/callback"
    client_key, client_secret = register_app(developer, "Photo sync", callback_url=callback,
                                             scopes=["account:read", "products:read"])
    person = new_page()
    sign_up(person, "erin", USER_PASSWORD)

    app = OAuth2Session(client_key, redirect_uri=f"{callback}/done", scope=["products:read"], pkce="S256")
    authorization_url, state = app.authorization_url(f"{base}/oauth2/authorize")
    person.goto(authorization_url)
    person.get_by_text("Read your products").wait_for()
    assert "you will be sent to" in person.locator("#destination").inner_text()
    assert_accessible(person, "the OAuth 2.0 consent page")
    person.get_by_role("button", name="Authorize").click()
    person.wait_for_url(f"{callback}/done?**")
    token = app.fetch_token(f"{base}/oauth2/token", client_secret=client_secret,
                            authorization_response=person.url)
    assert token["scope"] == ["products:read"]
    assert token["expires_in"] == 3600

    def introspect(access_token):
        return requests.post(f"{base}/oauth2/introspect", data={"token": access_token},
                             auth=(client_key, client_secret), timeout=10).json()

    first = introspect(token["access_token"])
    assert first["active"] is True and first["username"] == "erin"

    old_refresh_token = token["refresh_token"]
    refreshed = app.refresh_token(f"{base}/oauth2/token", auth=(client_key, client_secret))
    assert refreshed["refresh_token"] != old_refresh_token
    assert introspect(refreshed["access_token"])["active"] is True
    products = app.get(f"{base}/v2/products", timeout=10)  # the session sends the refreshed Bearer token
    assert products.status_code == 200, products.content
    assert products.json()["results"] == []
    replay = requests.post(f"{base}/oauth2/token", data={"grant_type": "refresh_token",
                                                         "refresh_token": old_refresh_token},
                           auth=(client_key, client_secret), timeout=10)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant" and replay.json()["status"] == 400

    # Replaying a used refresh token ends the whole grant (RFC 9700 §4.14.2): it may have been stolen.
    assert introspect(refreshed["access_token"]) == {"active": False}

    fresh = OAuth2Session(client_key, redirect_uri=f"{callback}/done", scope=["products:read"], pkce="S256")
    authorization_url, _ = fresh.authorization_url(f"{base}/oauth2/authorize")
    person.goto(authorization_url)
    person.get_by_role("button", name="Authorize").click()
    person.wait_for_url(f"{callback}/done?**")
    token = fresh.fetch_token(f"{base}/oauth2/token", client_secret=client_secret,
                              authorization_response=person.url)
    assert fresh.get(f"{base}/v2/products", timeout=10).status_code == 200
    revoked = requests.post(f"{base}/oauth2/revoke_token", data={"token": token["access_token"]},
                            auth=(client_key, client_secret), timeout=10)
    assert revoked.status_code == 200
    assert introspect(token["access_token"]) == {"active": False}
    refused = fresh.get(f"{base}/v2/products", timeout=10)
    assert refused.status_code == 401
    assert refused.json()["message"] == "Could not authenticate:"
    assert 'Bearer realm="api", error="invalid_token"' in refused.headers["WWW-Authenticate"]
