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
                       ("docs-api", "/docs/api"), ("password-reset", "/account/password-reset"),
                       ("password-reset-sent", "/account/password-reset/sent"), ("error-404", "/no/such/page")]:
        page.goto(path)
        shoot(page, name, width)

    sign_in(page, "devon")
    for name, path in [("home", "/"), ("apps", "/apps/"), ("app-register", "/apps/new"),
                       ("app-detail", f"/apps/{app.pk}/"), ("app-edit", f"/apps/{app.pk}/edit"),
                       ("app-revoke", f"/apps/{app.pk}/revoke"), ("app-rotate", f"/apps/{app.pk}/rotate-secret"),
                       ("password-change", "/account/password"),
                       ("docs-authentication", "/docs/authentication")]:
        page.goto(path)
        shoot(page, name, width)
    page.goto("/apps/new")
    page.get_by_label("Name", exact=True).fill("Shop sync")
    page.get_by_role("button", name="Register app").click()
    shoot(page, "app-secret", width)
    page.reload()
    shoot(page, "app-secret-reloaded", width)
    page.goto("/apps/new")
    page.get_by_label("Callback URL").fill("ftp://files.example/cb")
    page.get_by_role("button", name="Register app").click()
    shoot(page, "app-register-errors", width)
    page.goto(f"/apps/{app.pk}/rotate-secret")
    page.get_by_role("button", name="Rotate secret").click()
    shoot(page, "app-secret-rotated-overlap", width)
    app.refresh_from_db()

    person_page = new_page(*WIDTHS[width])
    sign_in(person_page, "erin")
    redirecting = OAuth1Session(app.client_key, client_secret=app.client_secret,
                                callback_uri=f"{live_server.url}/cb/done")
    redirecting.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person_page.goto(redirecting.authorization_url(f"{live_server.url}/oauth/authorize"))
    shoot(person_page, "oauth-authorize-callback", width)
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
    person_page.get_by_text("Revoke…").click()
    shoot(person_page, "authorized-apps-revoke-asks", width)
    stale = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    stale.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person_page.goto(stale.authorization_url(f"{live_server.url}/oauth/authorize"))
    person_page.context.clear_cookies()  # as if signed out elsewhere: the open form is stale
    person_page.get_by_role("button", name="Authorize").click()
    shoot(person_page, "error-csrf-stale-consent", width)

    newcomer = new_page(*WIDTHS[width])
    signup_client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    signup_client.fetch_request_token(f"{live_server.url}/oauth/request_token")
    newcomer.goto(signup_client.authorization_url(f"{live_server.url}/oauth/authorize"))
    newcomer.get_by_role("link", name="Create an account").click()
    shoot(newcomer, "signup-on-the-way-to-consent", width)

    locked_page = new_page(*WIDTHS[width])
    sign_in(locked_page, "lockie")
    for name, path in [("home-locked", "/"), ("billing", "/billing")]:
        locked_page.goto(path)
        shoot(locked_page, name, width)
    noted = factories.make_user("noted", password=PASSWORD)
    account_suspend(user=noted, reason="billing", note="Card payment reversed by the bank")
    noted_page = new_page(*WIDTHS[width])
    sign_in(noted_page, "noted")
    noted_page.goto("/billing")
    shoot(noted_page, "billing-locked-nothing-owed", width)

    staff_page = new_page(*WIDTHS[width])
    sign_in(staff_page, staff.username)
    staff_page.goto("/admin/accounts/balanceentry/add/")
    shoot(staff_page, "admin-record-payment", width)
