"""API passwords in the browser: a developer creates one and sees it once, uses it in HTTP Basic, revokes
it (the next request is refused), and turns the sign-in password off for Basic; each page axe clean at
phone and desktop width."""
import re

import pytest
import requests

from tests import factories
from tests.pages.conftest import axe_violations, copy_from, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "a browser pass phrase 7"
SHAPE = re.compile(r"apw_[A-Za-z0-9_-]{40}")
WIDTHS = [(390, 844), (1280, 900)]


def assert_axe_clean(page, label):
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert axe_violations(page) == [], f"{label} at {width}px"


def create(page, name):
    page.goto("/account/api-passwords")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Create API password").click()
    page.get_by_text("Copy the API password now").wait_for()
    return copy_from(page, "api-password")


def test_create_see_once_use_revoke_and_turn_the_sign_in_password_off(new_page, live_server):
    developer = factories.make_user("devon", password=PASSWORD)
    key = factories.make_consumer(developer)

    def basic(secret):
        return requests.get(f"{live_server.url}/v2", auth=("devon", secret),
                            headers={"X-Client-Key": key.client_key}, timeout=10).status_code

    page = new_page()
    sign_in(page, "devon", PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="API password").click()
    page.wait_for_url("**/account/api-passwords")
    assert_axe_clean(page, "the API passwords page, none yet")

    password = create(page, "Nightly backup")
    assert SHAPE.fullmatch(password)
    assert_axe_clean(page, "the new API password")
    page.reload()
    page.get_by_text("was already shown").wait_for()
    assert password not in page.content()
    assert_axe_clean(page, "the API password, already shown")

    assert basic(password) == 200
    page.goto("/account/api-passwords")
    row = page.get_by_role("row", name=re.compile("Nightly backup"))
    assert "Never" not in row.inner_text()  # its last use
    assert_axe_clean(page, "the API passwords page with one")

    row.get_by_role("link", name="Revoke “Nightly backup”").click()
    assert_axe_clean(page, "revoking an API password")
    page.get_by_role("button", name="Revoke this API password").click()
    page.get_by_text("was revoked").wait_for()
    assert basic(password) == 401

    second = create(page, "CI")
    page.goto("/account/api-passwords")
    assert basic(PASSWORD) == 200
    page.get_by_label("Your sign-in password").fill("not my password")
    page.get_by_role("button", name="Turn off for HTTP Basic").click()
    page.get_by_text("That is not your sign-in password.").wait_for()
    assert_axe_clean(page, "the sign-in password switch with an error")
    page.get_by_label("Your sign-in password").fill(PASSWORD)
    page.get_by_role("button", name="Turn off for HTTP Basic").click()
    page.get_by_text("no longer works in HTTP Basic").wait_for()
    assert_axe_clean(page, "the sign-in password turned off")
    assert basic(PASSWORD) == 401
    assert basic(second) == 200
