"""Issue 12 in a real browser: pages people can trust. A reload never repeats a change and the secret
is shown once; rotation asks and can overlap; the consent page says where it sends you and survives a
detour through signup; /account/apps on a phone; the oob code; styled error pages; billing that
always shows the way out; password reset; and the keyboard and screen-reader details. Every page met
here also passes axe-core."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from requests_oauthlib import OAuth1Session

from accounts.services import account_charge
from consumers.models import Consumer
from tests import factories
from tests.pages.conftest import (
    admin_action,
    admin_login,
    assert_accessible,
    copy_from,
    register_app,
    sign_up,
)

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "trusty pass phrase 4"
PHONE = (390, 844)


def sign_in(page, username, password=PASSWORD):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def request_token_status(live_server, client_key, secret):
    return OAuth1Session(client_key, client_secret=secret, callback_uri="oob").post(
        f"{live_server.url}/oauth/request_token").status_code


def test_reloading_the_secret_page_registers_nothing_and_shows_the_secret_no_more(new_page):
    page = new_page(*PHONE)
    sign_up(page, "devon", PASSWORD)
    client_key, secret = register_app(page, "Shop sync")
    assert page.url.endswith("/secret")
    page.reload()
    page.get_by_role("heading", name="was already shown").wait_for()
    assert secret not in page.content()
    assert "Rotate secret" in page.inner_text("main")  # how to get a new one
    assert_accessible(page)
    assert Consumer.objects.filter(user__username="devon").count() == 1
    page.go_back()
    assert secret not in page.content()  # no-store: not even the back button brings it back


def test_rotation_with_an_hour_of_overlap_then_reloading_rotates_nothing(new_page, live_server):
    page = new_page()
    sign_up(page, "rita", PASSWORD)
    client_key, old = register_app(page, "Rotator")
    page.goto(f"/apps/{Consumer.objects.get(client_id=client_key).pk}/")
    page.get_by_role("link", name="Rotate secret").click()
    assert page.get_by_label("keeps working for 1 hour").is_checked()  # the default asks for care
    assert_accessible(page)
    page.get_by_role("button", name="Rotate secret").click()
    page.get_by_text("previous secret keeps working until").wait_for()
    new = copy_from(page, "client-secret")
    page.reload()  # a reload rotates nothing: the page is a GET after the redirect
    page.get_by_role("heading", name="was already shown").wait_for()
    assert request_token_status(live_server, client_key, old) == 200
    assert request_token_status(live_server, client_key, new) == 200
    consumer = Consumer.objects.get(client_id=client_key)
    assert consumer.secrets_in_force() == (new, old)


def test_consent_reached_through_signup_comes_back_and_says_where_it_sends_you(new_page, live_server):
    developer = factories.make_user("devon", password=PASSWORD)
    callback = f"{live_server.url}/callback"
    app = factories.make_consumer(developer, name="Photo sync", callback_url=callback,
                                  scopes="account:read products:read")
    app.website = "https://photos.example"
    app.save()
    client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri=f"{callback}/done")
    client.fetch_request_token(f"{live_server.url}/oauth/request_token")

    person = new_page(*PHONE)
    person.goto(client.authorization_url(f"{live_server.url}/oauth/authorize"))
    person.get_by_role("link", name="Create an account").click()  # a newcomer, on the sign-in page
    person.get_by_label("Username").fill("erin")
    person.get_by_label("Email").fill("erin@example.com")
    person.get_by_label("Password", exact=True).fill(PASSWORD)
    person.get_by_label("Password confirmation").fill(PASSWORD)
    person.get_by_role("button", name="Create account").click()
    person.get_by_role("heading", name="Authorize Photo sync?").wait_for()  # back, not at the developer home

    destination = person.locator("#destination").inner_text()
    assert f"you will be sent to {live_server.url.split('://')[1]}" in destination
    nav = person.get_by_role("navigation", name="Site")
    assert nav.get_by_role("link", name="Your apps").count() == 0  # no developer menu for Erin
    assert "See your account name and API status" in person.inner_text("main")  # scopes in words
    authorize = person.get_by_role("button", name="Authorize").bounding_box()
    sign_out = person.get_by_role("button", name="Sign out").bounding_box()
    assert sign_out["height"] < authorize["height"]  # the quiet way out
    assert_accessible(person)
    person.get_by_role("button", name="Authorize").click()
    person.wait_for_url(f"{callback}/done?**")


def test_a_stale_consent_tab_gets_a_styled_page_with_the_way_back(new_page, live_server):
    developer = factories.make_user("devon", password=PASSWORD)
    app = factories.make_consumer(developer, name="Photo sync")
    factories.make_user("erin", password=PASSWORD)
    client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    client.fetch_request_token(f"{live_server.url}/oauth/request_token")
    authorize_url = client.authorization_url(f"{live_server.url}/oauth/authorize")

    tab = new_page()
    tab.goto(authorize_url)
    sign_in(tab, "erin")
    tab.get_by_role("heading", name="Authorize Photo sync?").wait_for()
    other_tab = tab.context.new_page()  # signs out and in again: the first tab's form goes stale
    other_tab.goto("/")
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.goto("/login")
    sign_in(other_tab, "erin")
    tab.get_by_role("button", name="Authorize").click()
    tab.get_by_role("heading", name="This page had expired").wait_for()
    assert "DEBUG" not in tab.content()
    assert_accessible(tab)
    tab.get_by_role("link", name="Open the page again").click()
    tab.get_by_role("heading", name="Authorize Photo sync?").wait_for()
    tab.get_by_role("button", name="Authorize").click()
    tab.locator("#oauth-verifier").wait_for()


def test_the_404_page_is_ours(new_page):
    page = new_page(*PHONE)
    response = page.goto("/no/such/page")
    assert response.status == 404
    page.get_by_role("heading", name="There is no page here").wait_for()
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url("**/")


def test_authorized_apps_on_a_phone_one_row_per_app_and_revoke_asks_first(new_page, live_server):
    developer = factories.make_user("devon", password=PASSWORD)
    app = factories.make_consumer(developer, name="A photo printing app with a long name")
    erin = factories.make_user("erin", password=PASSWORD)
    tokens = [factories.make_access_token(app, erin, scopes=[scope]) for scope in ("products:read", "account:read")]
    page = new_page(*PHONE)
    page.goto("/account/apps")
    sign_in(page, "erin")
    page.wait_for_url("**/account/apps")
    assert page.locator("tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    revoke = page.get_by_text("Revoke…")
    box = revoke.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
    dates = page.locator("time").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", date) for date in dates)
    revoke.click()
    assert all(token.__class__.objects.get(pk=token.pk).revoked_at is None for token in tokens)  # not yet
    assert_accessible(page)
    page.get_by_role("button", name="Revoke A photo printing app").click()
    page.get_by_text("can no longer use your account").wait_for()
    assert all(token.__class__.objects.get(pk=token.pk).revoked_at for token in tokens)


def test_the_oob_code_is_short_big_on_one_line_and_copies(new_page, live_server):
    developer = factories.make_user("devon", password=PASSWORD)
    app = factories.make_consumer(developer, name="Desk tool")
    factories.make_user("oscar", password=PASSWORD)
    client = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    client.fetch_request_token(f"{live_server.url}/oauth/request_token")
    page = new_page(*PHONE)
    page.goto(client.authorization_url(f"{live_server.url}/oauth/authorize"))
    sign_in(page, "oscar")
    page.get_by_text("you will be shown a code").wait_for()
    page.get_by_role("button", name="Authorize").click()
    code = page.locator("#oauth-verifier")
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code.inner_text())
    assert float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    assert code.bounding_box()["height"] < 60  # one line on a phone
    copied = copy_from(page, "oauth-verifier")
    page.get_by_role("status").filter(has_text="Copied").wait_for()  # announced
    assert_accessible(page)
    client.fetch_access_token(f"{live_server.url}/oauth/access_token", verifier=copied.lower())
    assert client.get(f"{live_server.url}/v2/products").status_code == 200


def test_registration_defaults_to_reading_and_refuses_an_ftp_callback_with_focus_on_it(new_page):
    page = new_page(*PHONE)
    sign_up(page, "devon", PASSWORD)
    page.goto("/apps/new")
    assert page.get_by_label("account:read").is_checked() and page.get_by_label("products:read").is_checked()
    assert not page.get_by_label("products:write").is_checked()
    page.get_by_label("Name", exact=True).fill("Mirror")
    page.get_by_label("Callback URL").fill("ftp://files.example/cb")
    page.get_by_role("button", name="Register app").click()
    page.get_by_text("Enter an http:// or https:// URL").wait_for()
    assert page.evaluate("document.activeElement.name") == "callback_url"  # focus on what to fix
    assert_accessible(page)
    assert not Consumer.objects.exists()


def test_billing_shows_the_currency_and_a_way_out_of_a_lock_with_nothing_owed(new_page, staff_user):
    lockie = factories.make_user("lockie", password=PASSWORD)
    account_charge(user=lockie, amount="25.00", description="October usage")
    page = new_page(*PHONE)
    page.goto("/billing")
    sign_in(page, "lockie")
    page.wait_for_url("**/billing")
    assert page.locator(".amount").inner_text() == "25.00 USD"
    assert "25.00 USD" in page.locator("table").inner_text()

    erin = factories.make_user("erin", password=PASSWORD)
    staff = new_page()
    admin_login(staff, staff_user, "staff password 1")
    staff.goto("/admin/auth/user/")
    admin_action(staff, "lock_for_unpaid_balance", erin.pk)
    staff.get_by_role("button", name="Lock API access").click()  # without a reason
    staff.get_by_text("Not locked, nothing is owed: erin").wait_for()

    call_command("suspend", "erin", "--billing", "--note", "Card payment reversed by the bank")
    person = new_page(*PHONE)
    person.goto("/billing")
    sign_in(person, "erin")
    person.wait_for_url("**/billing")
    alert = person.get_by_role("alert")
    assert "nothing is owed now" in alert.inner_text()
    assert alert.get_by_role("link", name="support@example.com").get_attribute("href").startswith("mailto:")
    assert_accessible(person)


def test_password_reset_by_email_in_the_browser(new_page):
    factories.make_user("devon", password=PASSWORD, email="devon@example.com")
    page = new_page(*PHONE)
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("devon@example.com")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    link = re.search(r"https?://\S+/account/reset/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    new = "a fresh pass phrase 77"
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password confirmation").fill(new)
    page.get_by_role("button", name="Set the new password").click()
    page.get_by_role("heading", name="Your password was changed").wait_for()
    page.goto("/login")
    sign_in(page, "devon", new)
    page.wait_for_url("**/")
    assert get_user_model().objects.get(username="devon").check_password(new)
