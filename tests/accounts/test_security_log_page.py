"""The account's security log, /account/security: API passwords created and revoked on their page, the
sign-in password turned off for Basic, staff's lock and the restore, in words; always the signed-in
account's own, staff never named."""
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import ApiPassword
from accounts.services import account_charge, account_lock_for_unpaid_balance, account_restore
from tests.factories import make_user

OWN_IP = "198.51.100.23"
STAFF_IP = "203.0.113.7"
PASSWORD = "open sesame"


@pytest.fixture
def browser(aladdin):
    browser = Client(REMOTE_ADDR=OWN_IP)
    browser.force_login(aladdin)
    return browser


def log_rows(page):
    text = page.content.decode()
    table = re.search(r'<table class="stack" id="account-log">(.*?)</table>', text, re.S).group(1)
    return [tuple(html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip() for cell in cells[1:])
            for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                          for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)) if cells]


def test_the_page_shows_the_accounts_changes_with_who_and_from_where(browser, aladdin):
    assert browser.post("/account/api-passwords", {"name": "Nightly backup"}).status_code == 302
    revoked = ApiPassword.objects.get(name="Nightly backup")
    assert browser.post(f"/account/api-passwords/{revoked.pk}/revoke").status_code == 302
    assert browser.post("/account/api-passwords/sign-in-password",
                        {"allowed": "off", "password": PASSWORD}).status_code == 302
    staff = get_user_model().objects.create_superuser("billing-sam", "sam@example.com", "staff password")
    account_charge(user=aladdin, amount="25")
    account_lock_for_unpaid_balance(user=aladdin, changed_by=staff, ip=STAFF_IP)
    account_restore(user=aladdin, changed_by=staff, note="Paid by phone; private to staff.", ip=STAFF_IP)

    page = browser.get("/account/security")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert log_rows(page) == [
        ("API access restored", "staff", "—"),
        ("API access locked for an unpaid balance", "staff", "—"),
        ("Sign-in password turned off for HTTP Basic: only API passwords work there", "you", OWN_IP),
        ("API password “Nightly backup” revoked", "you", OWN_IP),
        ("API password “Nightly backup” created", "you", OWN_IP),
    ]
    text = page.content.decode()
    assert "billing-sam" not in text and STAFF_IP not in text and "private to staff" not in text


def test_another_developer_sees_only_their_own_log(browser, aladdin):
    assert browser.post("/account/api-passwords", {"name": "Aladdin's script"}).status_code == 302
    other = Client(REMOTE_ADDR="192.0.2.50")
    other.force_login(make_user("someone-else"))
    page = other.get("/account/security").content.decode()
    assert "Aladdin's script" not in html.unescape(page) and OWN_IP not in page
    assert re.search(r'id="account-log">Nothing recorded yet\.<', page)


def test_it_asks_to_sign_in_and_the_header_leads_there(client, browser):
    assert client.get("/account/security").status_code == 302
    assert 'href="/account/security"' in browser.get("/").content.decode()
