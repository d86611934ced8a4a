"""`make screenshots`: PNGs of every page at phone (390px) and desktop (1280px) width in ./screenshots/.

Not part of the suite (the name does not start with `test_`): run on purpose, for a reviewer's eyes.
It uses the test database and a live server, so nothing touches your development data.
"""
from pathlib import Path

import pytest
from requests_oauthlib import OAuth1Session

from accounts.services import account_charge, account_suspend
from tests import factories

OUT = Path(__file__).resolve().parent.parent.parent / "screenshots"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
PASSWORD = "screenshot pass phrase 9"

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_load_state()


def shoot(page, name, width):
    OUT.mkdir(exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(new_page, live_server, width):
    developer = factories.make_user("devon", password=PASSWORD, email="devon@example.com")
    app = factories.make_consumer(developer, name="Photo sync", callback_url=f"{live_server.url}/cb")
    factories.make_consumer(developer, name="Nightly export", scopes="products:read")
    factories.make_user("erin", password=PASSWORD)
    locked = factories.make_user("lockie", password=PASSWORD)
    account_charge(user=locked, amount="49.90", description="November usage")
    account_suspend(user=locked, reason="billing")
    staff = factories.make_user("staffer", password=PASSWORD, is_staff=True, is_superuser=True)

    page = new_page(*WIDTHS[width])
    for name, path in [("home-anonymous", "/"), ("signup", "/signup"), ("login", "/login"),
                       ("contact", "/contact"), ("docs-authentication-anonymous", "/docs/authentication"),
                       ("docs-api", "/docs/api")]:
        page.goto(path)
        shoot(page, name, width)

    sign_in(page, "devon")
    for name, path in [("home", "/"), ("apps", "/apps/"), ("app-register", "/apps/new"),
                       ("app-detail", f"/apps/{app.pk}/"), ("app-edit", f"/apps/{app.pk}/edit"),
                       ("app-revoke", f"/apps/{app.pk}/revoke"), ("password-change", "/account/password"),
                       ("docs-authentication", "/docs/authentication")]:
        page.goto(path)
        shoot(page, name, width)
    page.goto("/apps/new")
    page.get_by_label("Name", exact=True).fill("Shop sync")
    page.get_by_role("button", name="Register app").click()
    shoot(page, "app-secret", width)

    person_page = new_page(*WIDTHS[width])
    sign_in(person_page, "erin")
    client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    client.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person_page.goto(client.authorization_url(f"{live_server.url}/oauth/authorize"))
    shoot(person_page, "oauth-authorize", width)
    person_page.get_by_role("button", name="Authorize").click()
    shoot(person_page, "oauth-verifier", width)
    client.fetch_access_token(f"{live_server.url}/oauth/access_token",
                              verifier=person_page.locator("#oauth-verifier").inner_text().strip())
    person_page.goto("/account/apps")
    shoot(person_page, "authorized-apps", width)

    locked_page = new_page(*WIDTHS[width])
    sign_in(locked_page, "lockie")
    for name, path in [("home-locked", "/"), ("billing", "/billing")]:
        locked_page.goto(path)
        shoot(locked_page, name, width)

    staff_page = new_page(*WIDTHS[width])
    sign_in(staff_page, staff.username)
    staff_page.goto("/admin/accounts/balanceentry/add/")
    shoot(staff_page, "admin-record-payment", width)
