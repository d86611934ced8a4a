"""The walks of issue 4 in a real browser: a developer and an end user through OAuth 1.0a, and a
locked user through billing. The app side is requests-oauthlib against the live server."""
import pytest
import requests
from django.contrib.auth import get_user_model
from requests_oauthlib import OAuth1Session

from accounts.services import account_charge
from tests.pages.conftest import (
    admin_action,
    admin_login,
    copy_from,
    pick_in_autocomplete,
    register_app,
    sign_up,
)

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

DEVELOPER_PASSWORD = "developer pass phrase 1"
USER_PASSWORD = "end user pass phrase 2"


def test_three_legged_oauth_approved_in_the_browser_then_revoked(new_page, live_server):
    developer = new_page()
    sign_up(developer, "devon", DEVELOPER_PASSWORD)
    callback = f"{live_server.url}/callback"
    client_key, client_secret = register_app(developer, "Photo sync", callback_url=callback)

    person = new_page()
    sign_up(person, "erin", USER_PASSWORD)

    app = OAuth1Session(client_key, client_secret=client_secret, callback_uri=f"{callback}/done")
    app.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person.goto(app.authorization_url(f"{live_server.url}/oauth/authorize"))
    person.get_by_text("Photo sync").first.wait_for()
    person.get_by_role("button", name="Authorize").click()
    person.wait_for_url(f"{callback}/done?**")
    app.parse_authorization_response(person.url)
    app.fetch_access_token(f"{live_server.url}/oauth/access_token")

    response = app.get(f"{live_server.url}/v2")
    assert response.status_code == 200, response.text
    assert response.json()["account"]["username"] == "erin"

    person.goto("/")
    person.get_by_role("navigation", name="Site").get_by_role("link", name="Authorized apps").click()
    row = person.get_by_role("row", name="Photo sync")
    row.wait_for()
    assert "devon" in row.inner_text()
    row.get_by_text("Revoke…").click()  # asks first
    row.get_by_role("button", name="Revoke Photo sync").click()
    person.get_by_text("Photo sync can no longer use your account").wait_for()
    assert person.get_by_role("row", name="Photo sync").count() == 0

    refused = app.get(f"{live_server.url}/v2")
    assert refused.status_code == 401
    assert refused.json()["message"] == "Could not authenticate:"


def test_oob_flow_with_the_verifier_copied_from_the_page(new_page, live_server):
    developer = new_page()
    sign_up(developer, "olive", DEVELOPER_PASSWORD)
    client_key, client_secret = register_app(developer, "Desk tool", scopes=["products:read"])

    person = new_page()
    sign_up(person, "oscar", USER_PASSWORD)
    app = OAuth1Session(client_key, client_secret=client_secret, callback_uri="oob")
    app.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person.goto(app.authorization_url(f"{live_server.url}/oauth/authorize"))
    person.get_by_role("button", name="Authorize").click()
    verifier = person.locator("#oauth-verifier").inner_text().strip()
    assert verifier

    app.fetch_access_token(f"{live_server.url}/oauth/access_token", verifier=verifier)
    assert app.get(f"{live_server.url}/v2/products").status_code == 200
    assert app.get(f"{live_server.url}/v2").status_code == 403  # the token holds products:read only


def test_rotated_secret_stops_the_old_one_at_once(new_page, live_server):
    developer = new_page()
    sign_up(developer, "rita", DEVELOPER_PASSWORD)
    client_key, old_secret = register_app(developer, "Rotator")
    developer.get_by_role("link", name="I have copied it").click()
    developer.get_by_role("link", name="Rotate secret").click()
    developer.get_by_label("stops working now").check()  # the rotation asks first, and for how long
    developer.get_by_role("button", name="Rotate secret").click()
    developer.get_by_text("previous secret has stopped working").wait_for()
    new_secret = copy_from(developer, "client-secret")
    assert new_secret != old_secret

    def request_token(secret):
        return OAuth1Session(client_key, client_secret=secret, callback_uri="oob").post(
            f"{live_server.url}/oauth/request_token")

    assert request_token(old_secret).status_code == 401
    assert request_token(new_secret).status_code == 200


def test_staff_lock_then_the_user_pays_and_access_returns(new_page, live_server, staff_user):
    person = new_page(width=390, height=844)  # the user is on a phone
    sign_up(person, "lockie", USER_PASSWORD)
    client_key, _ = register_app(person, "Lockie's script")
    lockie = get_user_model().objects.get(username="lockie")
    account_charge(user=lockie, amount="25.00", description="October usage")

    def call_api():
        return requests.get(f"{live_server.url}/v2", auth=("lockie", USER_PASSWORD),
                            headers={"X-Client-Key": client_key}, timeout=10)

    assert call_api().status_code == 200

    staff = new_page()
    admin_login(staff, staff_user, "staff password 1")
    staff.goto("/admin/auth/user/")
    admin_action(staff, "lock_for_unpaid_balance", lockie.pk)
    staff.get_by_text("lockie: API access active, owes 25.00 USD").wait_for()  # it asks first
    staff.get_by_role("button", name="Lock API access").click()
    staff.get_by_text("1 account locked.").wait_for()

    refused = call_api()
    assert refused.status_code == 403
    body = refused.json()
    assert body["message"] == "No API Access"
    assert body["reference"] == f"{live_server.url}/billing"

    # The user follows the link from their app, signed out: sign in, land on the billing page.
    person.context.clear_cookies()
    person.goto(body["reference"])
    person.get_by_label("Username").fill("lockie")
    person.get_by_label("Password").fill(USER_PASSWORD)
    person.get_by_role("button", name="Sign in").click()
    person.wait_for_url(body["reference"])
    assert person.get_by_test_id("balance-due").inner_text() == "25.00"
    assert "October usage" in person.content()
    person.get_by_role("heading", name="How to pay").wait_for()

    staff.goto("/admin/accounts/balanceentry/add/")
    pick_in_autocomplete(staff, "user", "lock", "lockie")  # found by username
    staff.get_by_label("Kind").select_option(label="Payment received")
    staff.get_by_label("Amount").fill("25.00")
    staff.get_by_label("Description").fill("Bank transfer ACCT")
    staff.get_by_role("button", name="Save", exact=True).click()
    staff.get_by_text("was added successfully").wait_for()

    assert call_api().status_code == 200
    person.reload()
    assert person.get_by_test_id("balance-due").inner_text() == "0.00"
    person.get_by_text("Nothing is owed").wait_for()
