"""axe-core over every page of ours (and /docs/api), at phone and desktop width, signed out, as a
developer, as an end user on the consent and verifier pages, as a locked user, and on the error
pages: any violation fails. Plus the keyboard and screen-reader details axe cannot see."""
import json

import pytest
from requests_oauthlib import OAuth1Session

from accounts.services import account_charge, account_suspend, api_password_create
from tests import factories
from tests.pages.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "accessible pass phrase 3"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


class Findings:
    """Every page's violations, reported together at the end: one run shows all there is to fix."""

    def __init__(self):
        self.found = {}

    def check(self, page, label):
        violations = axe_violations(page)
        if violations:
            self.found[label] = violations

    def visit(self, page, path):
        page.goto(path)
        if path == "/docs/api":
            page.locator(".opblock-summary").first.wait_for()  # Swagger UI draws after loading the schema
        self.check(page, path)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_passes_axe(new_page, live_server, width):
    developer = factories.make_user("devon", password=PASSWORD, email="devon@example.com")
    app = factories.make_consumer(developer, name="Photo sync", callback_url=f"{live_server.url}/cb",
                                  scopes="account:read products:read")
    app.description = "Prints your product photos."
    app.website = "https://photos.example"
    app.save()
    api_password_create(user=developer, name="Nightly backup", ip="198.51.100.23")  # the security log has a row
    factories.make_user("erin", password=PASSWORD)
    locked = factories.make_user("lockie", password=PASSWORD)
    account_charge(user=locked, amount="49.90", description="November usage")
    account_suspend(user=locked, reason="billing")

    axe = Findings()
    page = new_page(*WIDTHS[width])
    for path in ["/", "/signup", "/login", "/contact", "/docs/authentication", "/docs/api",
                 "/account/password-reset", "/account/password-reset/sent", "/account/reset/MQ/bad-token",
                 "/no/such/page"]:
        axe.visit(page, path)
    page.goto("/signup")
    page.get_by_role("button", name="Create account").click()  # every field missing
    axe.check(page, "/signup with errors")

    sign_in(page, "devon", PASSWORD)
    for path in ["/", "/apps/", "/apps/new", f"/apps/{app.pk}/", f"/apps/{app.pk}/usage", f"/apps/{app.pk}/edit",
                 f"/apps/{app.pk}/revoke", f"/apps/{app.pk}/rotate-secret", f"/apps/{app.pk}/secret",
                 "/account/password", "/account/apps", "/account/security", "/billing", "/docs/authentication"]:
        axe.visit(page, path)
    page.goto("/apps/new")
    page.get_by_label("Callback URL").fill("ftp://photos.example/cb")
    page.get_by_role("button", name="Register app").click()
    axe.check(page, "/apps/new with errors")
    page.get_by_label("Name", exact=True).fill("Shop sync")
    page.get_by_label("Callback URL").fill("")
    page.get_by_role("button", name="Register app").click()
    page.get_by_text("Copy the client secret now").wait_for()
    axe.check(page, "the new secret")

    person = new_page(*WIDTHS[width])
    sign_in(person, "erin", PASSWORD)
    for callback in ("oob", f"{live_server.url}/cb/done"):
        client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri=callback)
        client.fetch_request_token(f"{live_server.url}/oauth/request_token")
        person.goto(client.authorization_url(f"{live_server.url}/oauth/authorize"))
        axe.check(person, f"consent ({callback})")
    person.go_back()
    person.get_by_role("button", name="Authorize").click()
    person.locator("#oauth-verifier").wait_for()
    axe.check(person, "the verifier")
    verifier = person.locator("#oauth-verifier").inner_text()
    client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    client.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person.goto(client.authorization_url(f"{live_server.url}/oauth/authorize"))
    person.get_by_role("button", name="Deny").click()
    axe.check(person, "denied")
    assert verifier
    axe.visit(person, "/account/apps")

    locked_page = new_page(*WIDTHS[width])
    sign_in(locked_page, "lockie", PASSWORD)
    for path in ["/", "/billing", "/contact"]:
        axe.visit(locked_page, path)
    assert not axe.found, "axe-core violations:\n" + json.dumps(axe.found, indent=1)


def test_the_cooling_off_pages_pass_axe(new_page, live_server, settings):
    """The 429 pages: signup from an address that created its share of accounts, and the sign-in page
    after too many failed passwords."""
    from django.core.cache import caches

    from accounts.signup_limits import signup_claim

    settings.SIGNUP_RATE_LIMIT = "1/hour"
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 1
    factories.make_user("erin", password=PASSWORD)
    signup_claim("127.0.0.1")  # the live server's client address has created its one account
    axe = Findings()
    page = new_page(*WIDTHS["phone"])
    response = page.goto("/signup")
    assert response.status == 429 and page.get_by_text("Too many accounts were created from here").count()
    axe.check(page, "signup, limited")
    for _ in range(2):
        page.goto("/login")
        page.get_by_label("Username").fill("erin")
        page.get_by_label("Password").fill("a guess")
        page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Too many failed sign-in attempts").wait_for()
    axe.check(page, "sign-in, cooling off")
    caches["database"].clear()  # committed counts (a live server's test) would reach the next test
    assert not axe.found, "axe-core violations:\n" + json.dumps(axe.found, indent=1)
