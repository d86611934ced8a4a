"""A locked user pays their own way out, in Debian's chromium: the billing page's link to the payment
provider (a tiny checkout page this test serves), the provider's signed notification, and the next API
request answered 200. Screenshots of the billing page at both widths go to the test's tmp output."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from accounts.services import account_charge, account_suspend
from tests import factories
from tests.pages.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "locked out pass phrase 3"
SECRET = "whsec-browser-0123456789-abcdefghijklmnopqrstuvwxyz"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


class Checkout(BaseHTTPRequestHandler):
    """The payment provider's checkout page, as far as a test needs one: it shows what it was asked."""

    visits = []

    def do_GET(self):  # noqa: N802 - http.server's name
        if not self.path.startswith("/pay?"):
            self.send_error(404)  # the browser's own asks, such as /favicon.ico
            return
        Checkout.visits.append(self.path)
        query = parse_qs(urlsplit(self.path).query)
        page = (f"<!doctype html><html lang=en><title>Checkout</title><h1>Pay {query['amount'][0]} "
                f"{query['currency'][0]}</h1><p>Account {query['account'][0]}</p></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args):
        pass


@pytest.fixture
def checkout():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Checkout)  # a port the OS picks
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Checkout.visits = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def provider_notifies(base_url, **payment):
    """What the payment provider sends once the card is charged: signed with the shared secret."""
    body = json.dumps(payment).encode()
    timestamp = int(time.time())
    signature = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return requests.post(f"{base_url}/billing/notifications", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Signature": f"t={timestamp},v1={signature}"})


@pytest.mark.parametrize("size", list(SIZES))
def test_locked_pay_via_the_link_then_the_next_api_request_works(new_page, live_server, settings, checkout,
                                                                  screenshots, size):
    settings.BILLING_CURRENCY = "EUR"
    settings.BILLING_WEBHOOK_SECRET = SECRET
    settings.BILLING_PAYMENT_URL = f"{checkout}/pay?account={{account}}&amount={{amount}}&currency={{currency}}"
    settings.BILLING_BANK_DETAILS = ["Example Ltd", "IBAN GB33 BUKB 2020 1555 5555 55", "BIC BUKBGB22"]
    lockie = factories.make_user("lockie", password=PASSWORD)
    key = factories.make_consumer(lockie, name="Lockie's script").client_key
    account_charge(user=lockie, amount="12.50", description="November usage")
    account_suspend(user=lockie, reason="billing")

    def call_api():
        return requests.get(f"{live_server.url}/v2", auth=("lockie", PASSWORD), headers={"X-Client-Key": key},
                            timeout=10)

    refused = call_api()
    assert refused.status_code == 403 and refused.json()["message"] == "No API Access"

    page = new_page(*SIZES[size])
    page.goto(refused.json()["reference"])  # the user follows the error's link to the billing page
    sign_in_here(page)
    assert page.get_by_test_id("balance-due").inner_text() == "12.50"
    assert "IBAN GB33 BUKB 2020 1555 5555 55" in page.get_by_test_id("bank-details").inner_text()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    page.screenshot(path=screenshots / f"billing-locked-{size}.png", full_page=True)

    page.get_by_role("link", name="Pay 12.50 EUR now").click()
    page.get_by_role("heading", name="Pay 12.50 EUR").wait_for()
    assert Checkout.visits == ["/pay?account=lockie&amount=12.50&currency=EUR"]

    recorded = provider_notifies(live_server.url, id=f"evt_{size}", account="lockie", amount="12.50",
                                 currency="EUR")
    assert recorded.status_code == 200, recorded.text
    assert call_api().status_code == 200  # the very next request

    page.goto("/billing")
    page.get_by_text("Nothing is owed").wait_for()
    assert page.get_by_role("alert").count() == 0  # the lock notice is gone
    page.screenshot(path=screenshots / f"billing-paid-{size}.png", full_page=True)


def sign_in_here(page):
    """The billing page sends a signed-out person to sign in and back."""
    page.get_by_label("Username").fill("lockie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/billing")


def test_billing_without_a_payment_setting_points_to_staff(new_page, screenshots):
    lockie = factories.make_user("lockie", password=PASSWORD)
    account_charge(user=lockie, amount="12.50")
    account_suspend(user=lockie, reason="billing")
    for size, (width, height) in SIZES.items():
        page = new_page(width, height)
        sign_in(page, "lockie", PASSWORD)
        page.goto("/billing")
        page.get_by_role("link", name="the other ways to reach us").wait_for()
        assert_accessible(page)
        page.screenshot(path=screenshots / f"billing-no-settings-{size}.png", full_page=True)
