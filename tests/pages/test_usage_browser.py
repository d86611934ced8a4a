"""A developer's walk on the usage page, in chromium against a live server: requests with good and bad
credentials of several kinds sent by real clients (requests, requests-oauthlib), then the app's usage
page shows them counted by outcome and lists the refusals; the debugger opened from a bad signature's
refusal shows the cause. axe-clean at phone and desktop width."""
import pytest
import requests
from requests_oauthlib import OAuth1

from tests import factories
from tests.pages.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "usage walk pass phrase 7"


@pytest.mark.parametrize("width", [390, 1280])
def test_traffic_then_the_usage_page_then_the_debugger(new_page, live_server, width):
    developer = factories.make_user("devon", password=PASSWORD)
    app = factories.make_consumer(developer, name="Photo sync")
    alice = factories.make_user("alice", password=factories.ALICE_PASSWORD)
    token = factories.make_access_token(app, alice)
    products = f"{live_server.url}/v2/products"
    basic = {"auth": ("devon", PASSWORD), "headers": {"X-Client-Key": app.client_key}, "timeout": 30}
    signed = OAuth1(app.client_key, app.client_secret, token.key, token.secret)
    wrong = OAuth1(app.client_key, "not the secret", token.key, token.secret)

    assert requests.get(products, **basic).status_code == 200
    assert requests.get(products, auth=signed, timeout=30).status_code == 200
    assert requests.get(products, **{**basic, "auth": ("devon", "a wrong password")}).status_code == 401
    assert requests.get(f"{products}?page=2", auth=wrong, timeout=30).status_code == 401
    assert requests.get(f"{products}/424242", **basic).status_code == 404

    page = new_page(width, 900)
    sign_in(page, "devon", PASSWORD)
    page.goto(f"/apps/{app.pk}/")
    page.get_by_role("link", name="Usage and recent refusals").click()
    page.wait_for_url(f"**/apps/{app.pk}/usage")
    assert page.locator("#usage-served").inner_text() == "2"
    assert page.locator("#usage svg rect.usage-served").count() == 1
    rows = page.locator("#refusals-table tbody tr")
    assert rows.count() == 3
    assert "not_found" in rows.nth(0).inner_text() and "/v2/products/424242" in rows.nth(0).inner_text()
    assert "oauth1" in rows.nth(1).inner_text() and "invalid_credentials" in rows.nth(1).inner_text()
    assert "basic" in rows.nth(2).inner_text()
    assert "?page" not in page.content()
    assert_accessible(page, f"usage page at {width}px")

    with page.expect_navigation():
        page.get_by_role("link", name="Check the signature in the debugger").click()
    assert page.get_by_label("URL").input_value() == f"{live_server.url}/v2/products"
    page.get_by_label("Authorization header").fill(
        wrong_authorization(app, token, f"{live_server.url}/v2/products"))
    page.get_by_role("button", name="Compute the signature").click()
    assert "The signatures differ." in page.locator("#debug-summary").inner_text()

    page.goto(f"/apps/{app.pk}/usage")
    page.get_by_role("link", name="invalid_credentials").first.click()
    page.wait_for_url("**/docs/authentication#error-invalid_credentials")


def wrong_authorization(app, token, url):
    """The Authorization header a client with the wrong secret sends for GET `url`."""
    prepared = requests.Request("GET", url, auth=OAuth1(app.client_key, "not the secret", token.key,
                                                        token.secret)).prepare()
    header = prepared.headers["Authorization"]
    return header.decode() if isinstance(header, bytes) else header
