"""The device authorization grant (RFC 8628) end to end: a device asks for a code, polls the token
endpoint, a person types the code on /oauth2/device in a real browser (Playwright, Debian chromium)
and approves; the device's next poll gets tokens, once."""
import re
import time

import pytest
import requests

from tests import factories
from tests.factories import ALICE_PASSWORD
from tests.pages.conftest import assert_accessible, browser, new_page, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def fast_polling(settings):
    """Devices may poll every second here, so the test waits one second, not five."""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "DEVICE_FLOW_INTERVAL": 1}


def ask_for_a_code(base, app, scope="products:read"):
    response = requests.post(f"{base}/oauth2/device_authorization", data={
        "client_id": app.client_key, "client_secret": app.client_secret, "scope": scope})
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    return response.json()


def poll(base, app, device_code):
    return requests.post(f"{base}/oauth2/token", data={
        "grant_type": DEVICE_CODE, "device_code": device_code,
        "client_id": app.client_key, "client_secret": app.client_secret})


def test_device_flow_code_entered_and_approved_in_the_browser_then_tokens_once(
        live_server, new_page, fast_polling, app, alice):  # noqa: F811
    base = live_server.url
    factories.make_product(alice, name="Lamp")
    codes = ask_for_a_code(base, app)
    assert set(codes) >= {"device_code", "user_code", "verification_uri", "verification_uri_complete",
                          "expires_in", "interval"}
    assert codes["verification_uri"] == f"{base}/oauth2/device"
    assert codes["verification_uri_complete"] == f"{base}/oauth2/device?user_code={codes['user_code']}"
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", codes["user_code"])
    assert codes["expires_in"] == 900 and codes["interval"] == 1

    pending = poll(base, app, codes["device_code"])
    assert pending.status_code == 400
    body = pending.json()
    assert body["error"] == "authorization_pending"
    assert set(body) >= {"error", "error_description", "status", "message", "additional", "reference"}

    page = new_page()
    sign_in(page, "alice", ALICE_PASSWORD)
    page.goto("/oauth2/device")
    assert_accessible(page, "the code entry page")
    # Typed as a person might: lower case, no dash.
    page.get_by_label("Code").fill(codes["user_code"].replace("-", "").lower())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Authorize Printer?").wait_for()
    consent = page.inner_text("main")
    assert "Printer, an app by developer, asks to use your account alice" in consent
    assert "Read your products" in consent and "Create, change and delete" not in consent
    assert codes["user_code"] in consent
    assert_accessible(page, "the device consent page")
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Printer is connected to your account").wait_for()

    time.sleep(1)
    tokens = poll(base, app, codes["device_code"])
    assert tokens.status_code == 200, tokens.text
    issued = tokens.json()
    assert issued["token_type"] == "Bearer" and issued["scope"] == "products:read"
    assert issued["access_token"] and issued["refresh_token"] and issued["expires_in"] > 0

    introspected = requests.post(f"{base}/oauth2/introspect", data={"token": issued["access_token"]},
                                 auth=(app.client_key, app.client_secret)).json()
    assert introspected["active"] is True
    assert introspected["username"] == "alice" and introspected["scope"] == "products:read"

    products = requests.get(f"{base}/v2/products", headers={"Authorization": f"Bearer {issued['access_token']}"})
    assert products.status_code == 200, products.text
    assert [product["name"] for product in products.json()["results"]] == ["Lamp"]

    time.sleep(1)
    again = poll(base, app, codes["device_code"])  # a device code gives tokens once
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_denied_on_the_page_the_device_gets_access_denied(live_server, new_page, fast_polling, app, alice):  # noqa: F811
    base = live_server.url
    codes = ask_for_a_code(base, app)
    page = new_page()
    sign_in(page, "alice", ALICE_PASSWORD)
    page.goto(codes["verification_uri_complete"])
    assert page.get_by_label("Code").input_value() == codes["user_code"]  # filled in from the link
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Deny").click()
    page.get_by_text("You denied Printer").wait_for()
    denied = poll(base, app, codes["device_code"])
    assert denied.status_code == 400 and denied.json()["error"] == "access_denied"
