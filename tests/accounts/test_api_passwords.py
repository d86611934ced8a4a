"""API passwords in HTTP Basic: made on the account's page, used in place of the sign-in password with the
same client-key rules and failed-password limits, revoked at once, and the sign-in password turned off."""
import re

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.models import ApiPassword
from accounts.services import api_password_create, api_password_revoke
from apiv2.schemes.basic import ClientKeyBasicAuthentication
from audit.models import AuditEvent
from tests.factories import basic_header, make_consumer, make_user
from tests.servers import gunicorn_server

pytestmark = pytest.mark.django_db

PASSWORD = "open sesame"
SHAPE = re.compile(r"apw_[A-Za-z0-9_-]{40}")


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, tests only) that counts how often a password is hashed (a check is one hashing)."""

    algorithm = "counting_md5_api"
    encodes = 0

    def encode(self, password, salt):
        CountingHasher.encodes += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_api_passwords.CountingHasher"]
    CountingHasher.encodes = 0
    return CountingHasher


@pytest.fixture
def limits(settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 3
    settings.FAILED_LOGIN_LIMIT_PER_IP = 50
    settings.FAILED_LOGIN_WINDOW_SECONDS = 3600


@pytest.fixture
def page(aladdin):
    """Aladdin's browser: signed in, with CSRF checked as in production."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(aladdin)
    return browser


def post(browser, path, data, **extra):
    """A form post as the page sends it: with the CSRF token of the form's page."""
    browser.get("/account/api-passwords")
    return browser.post(path, {**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}, **extra)


def create_on_page(browser, name="Nightly backup"):
    """Create an API password on the page; (its row, the password as the page after the redirect shows it)."""
    created = post(browser, "/account/api-passwords", {"name": name})
    assert created.status_code == 302
    shown = browser.get(created["Location"]).content.decode()
    row = ApiPassword.objects.get(name=name)
    assert created["Location"] == f"/account/api-passwords/{row.pk}/new"
    return row, SHAPE.search(shown).group()


def call(client, key, password, username="Aladdin", **extra):
    return client.get("/v2", HTTP_AUTHORIZATION=basic_header(username, password), HTTP_X_CLIENT_KEY=key.client_key,
                      **extra)


def test_an_api_password_made_on_the_page_works_in_basic_with_the_client_key_rules(page, client, aladdin_key):
    _, password = create_on_page(page)
    answer = call(client, aladdin_key, password)
    assert answer.status_code == 200 and answer.json()["account"]["username"] == "Aladdin"
    others_key = make_consumer(make_user("someone"))
    refused = call(client, others_key, password)
    assert refused.status_code == 403
    assert refused.json()["message"] == "Client key does not belong to the authenticated account"
    no_key = client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password))
    assert no_key.status_code == 400
    assert call(client, aladdin_key, PASSWORD).status_code == 200  # the sign-in password still works too
    assert call(client, aladdin_key, password, username="someone").status_code == 401  # only for its account


def test_it_is_shown_once_sealed_across_the_redirect_and_kept_only_hashed(page):
    created = post(page, "/account/api-passwords", {"name": "CI"})
    row = ApiPassword.objects.get(name="CI")
    waiting = str(dict(page.session.items()))
    shown = page.get(created["Location"])
    password = SHAPE.search(shown.content.decode()).group()
    assert password not in waiting
    assert "no-store" in shown["Cache-Control"]
    assert password not in page.get(created["Location"]).content.decode()  # a reload: gone
    assert "was already shown" in page.get(created["Location"]).content.decode()
    assert password not in row.password_hash and row.password_hash.startswith("md5$")
    assert len(row.lookup) == 16 and row.lookup not in password
    listed = page.get("/account/api-passwords").content.decode()
    assert "CI" in listed and password not in listed


def test_last_use_is_shown_and_written_at_most_about_once_a_minute(page, client, aladdin_key):
    row, password = create_on_page(page)
    assert "Never" in page.get("/account/api-passwords").content.decode()
    assert call(client, aladdin_key, password).status_code == 200
    row.refresh_from_db()
    first = row.last_used
    assert first is not None
    assert "Never" not in page.get("/account/api-passwords").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert call(client, aladdin_key, password).status_code == 200
    assert not [query for query in queries
                if query["sql"].startswith("UPDATE") and "accounts_apipassword" in query["sql"]]
    row.refresh_from_db()
    assert row.last_used == first


def test_a_revoked_api_password_is_refused_at_once_even_after_it_was_remembered(page, client, aladdin_key,
                                                                               counting_hasher):
    row, password = create_on_page(page)
    counting_hasher.encodes = 0
    for _ in range(3):
        assert call(client, aladdin_key, password).status_code == 200
    assert counting_hasher.encodes == 1  # remembered after the first check
    assert page.get(f"/account/api-passwords/{row.pk}/revoke").status_code == 200  # asks first
    revoked = post(page, f"/account/api-passwords/{row.pk}/revoke", {})
    assert revoked.status_code == 302 and not ApiPassword.objects.filter(pk=row.pk).exists()
    refused = call(client, aladdin_key, password)
    assert refused.status_code == 401 and refused.json()["additional"] == "Invalid credentials."


def test_one_api_password_revoked_leaves_the_others_working(page, client, aladdin_key):
    first, first_password = create_on_page(page, "first")
    _, second_password = create_on_page(page, "second")
    assert call(client, aladdin_key, first_password).status_code == 200
    api_password_revoke(api_password=first)
    assert call(client, aladdin_key, first_password).status_code == 401
    assert call(client, aladdin_key, second_password).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_revoked_api_password_is_refused_by_every_worker(aladdin, aladdin_key):
    row, password = api_password_create(user=aladdin, name="deploy")
    with gunicorn_server(workers=3) as base_url, requests.Session() as http:
        def status():
            return http.get(f"{base_url}/v2", auth=("Aladdin", password),
                            headers={"X-Client-Key": aladdin_key.client_key}).status_code

        assert [status() for _ in range(6)] == [200] * 6  # remembered by now, on whichever worker
        api_password_revoke(api_password=row)
        assert [status() for _ in range(6)] == [401] * 6


def test_a_wrong_api_password_counts_toward_the_failed_password_limit(page, client, aladdin_key, limits):
    _, password = create_on_page(page)
    assert call(client, aladdin_key, password).status_code == 200  # remembered before the guessing starts
    for guess in ("apw_" + "x" * 40, "apw_" + "y" * 40, password[:-1] + "!"):
        assert call(client, aladdin_key, guess).status_code == 401
    refused = call(client, aladdin_key, password)
    assert refused.status_code == 429
    assert refused.json()["additional"].startswith("Too many failed sign-in attempts; retry in ")
    assert call(client, aladdin_key, PASSWORD).status_code == 429  # one limit for both kinds of password


def test_the_right_api_password_gives_its_claim_back(page, client, aladdin_key, limits):
    _, password = create_on_page(page)
    for _ in range(2):
        assert call(client, aladdin_key, "apw_" + "x" * 40).status_code == 401
    assert call(client, aladdin_key, password).status_code == 200
    assert call(client, aladdin_key, password).status_code == 200  # its check was given back: 2 < 3


def test_an_api_password_does_not_sign_in_to_the_site(page, client):
    _, password = create_on_page(page)
    assert client.post("/login", {"username": "Aladdin", "password": password}).status_code == 200  # the form again
    assert "_auth_user_id" not in client.session


def test_a_password_change_leaves_api_passwords_working(page, client, aladdin, aladdin_key):
    _, password = create_on_page(page)
    aladdin.set_password("a brand new password")
    aladdin.save()
    assert call(client, aladdin_key, PASSWORD).status_code == 401
    assert call(client, aladdin_key, password).status_code == 200


def test_a_deactivated_account_is_refused_with_its_api_password(page, client, aladdin, aladdin_key):
    _, password = create_on_page(page)
    assert call(client, aladdin_key, password).status_code == 200
    aladdin.is_active = False
    aladdin.save()
    assert call(client, aladdin_key, password).status_code == 401


def set_sign_in_password(browser, allowed, password=PASSWORD, **extra):
    return post(browser, "/account/api-passwords/sign-in-password",
                {"allowed": "on" if allowed else "off", "password": password}, **extra)


def test_the_sign_in_password_turned_off_fails_in_basic_like_a_wrong_one(page, client, aladdin_key, limits):
    _, api_password = create_on_page(page)
    assert call(client, aladdin_key, PASSWORD).status_code == 200  # remembered before it is turned off
    turned_off = set_sign_in_password(page, allowed=False)
    assert turned_off.status_code == 302
    assert "Turn on for HTTP Basic" in page.get("/account/api-passwords").content.decode()  # still signed in
    refused = call(client, aladdin_key, PASSWORD)
    assert refused.status_code == 401 and refused.json()["additional"] == "Invalid credentials."
    assert call(client, aladdin_key, api_password).status_code == 200
    signed_in = Client().post("/login", {"username": "Aladdin", "password": PASSWORD})
    assert signed_in.status_code == 302  # the site's sign-in still takes it
    for _ in range(2):
        assert call(client, aladdin_key, PASSWORD).status_code == 401
    assert call(client, aladdin_key, api_password).status_code == 429  # counted as failures
    elsewhere = {"REMOTE_ADDR": "192.0.2.9"}  # this address is cooling off now
    assert set_sign_in_password(page, allowed=True, **elsewhere).status_code == 302
    assert call(client, aladdin_key, PASSWORD, **elsewhere).status_code == 200


def test_turning_it_off_ends_the_other_sessions(page, aladdin):
    elsewhere = Client()
    elsewhere.force_login(aladdin)
    assert set_sign_in_password(page, allowed=False).status_code == 302
    assert elsewhere.get("/account/api-passwords").status_code == 302  # sent to sign in
    assert page.get("/account/api-passwords").status_code == 200


def test_turning_it_off_needs_the_sign_in_password_and_counts_a_wrong_one(page, client, aladdin_key, limits):
    for _ in range(3):
        answer = set_sign_in_password(page, allowed=False, password="not it")
        assert answer.status_code == 200 and "That is not your sign-in password." in answer.content.decode()
    cooling = set_sign_in_password(page, allowed=False)
    assert cooling.status_code == 429 and "Too many failed sign-in attempts" in cooling.content.decode()
    assert int(cooling["Retry-After"]) > 0
    assert call(client, aladdin_key, PASSWORD, REMOTE_ADDR="192.0.2.9").status_code == 200  # nothing changed


def test_changes_are_audited_without_the_password(page, aladdin):
    row, password = create_on_page(page)
    post(page, f"/account/api-passwords/{row.pk}/revoke", {})
    set_sign_in_password(page, allowed=False)
    events = list(AuditEvent.objects.order_by("id").values_list("action", "subject", "actor", "detail"))
    assert [event[:3] for event in events] == [
        ("api_password_created", "Aladdin", aladdin.pk), ("api_password_revoked", "Aladdin", aladdin.pk),
        ("basic_sign_in_password_set", "Aladdin", aladdin.pk)]
    assert events[0][3] == {"api_password": row.pk, "name": "Nightly backup"}
    assert events[2][3] == {"sign_in_password_in_basic": False}
    assert password not in str(events) and PASSWORD not in str(events)


@pytest.mark.parametrize("suffix, method", [("/new", "get"), ("/revoke", "get"), ("/revoke", "post")])
def test_another_accounts_api_password_is_a_404(page, suffix, method):
    others, _ = api_password_create(user=make_user("someone"), name="theirs")
    path = f"/account/api-passwords/{others.pk}{suffix}"
    answer = post(page, path, {}) if method == "post" else page.get(path)
    assert answer.status_code == 404
    assert ApiPassword.objects.filter(pk=others.pk).exists()
    assert "theirs" not in page.get("/account/api-passwords").content.decode()


def test_pages_need_a_sign_in_and_forms_a_csrf_token(client, aladdin):
    assert client.get("/account/api-passwords").status_code == 302
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(aladdin)
    assert browser.post("/account/api-passwords", {"name": "x"}).status_code == 403
    assert browser.post("/account/api-passwords/sign-in-password", {"allowed": "off", "password": PASSWORD}
                        ).status_code == 403
    assert not ApiPassword.objects.exists()


def test_names_are_unique_in_an_account_and_their_number_bounded(page, aladdin):
    create_on_page(page, "one")
    again = post(page, "/account/api-passwords", {"name": "one"})
    assert again.status_code == 200 and "You already have an API password named “one”." in again.content.decode()
    for n in range(19):
        api_password_create(user=aladdin, name=f"more {n}")
    full = post(page, "/account/api-passwords", {"name": "twenty-first"})
    assert full.status_code == 200 and "the most an account may have" in full.content.decode()
    assert ApiPassword.objects.filter(user=aladdin).count() == 20
    assert post(page, "/account/api-passwords", {"name": ""}).status_code == 200


def hashing_for(client, key, username, password, counting_hasher):
    counting_hasher.encodes = 0
    status = call(client, key, password, username=username).status_code
    return status, counting_hasher.encodes


def test_one_hash_check_whether_or_not_the_account_has_api_passwords(client, counting_hasher, aladdin, aladdin_key):
    """No timing tells whether an account has API passwords: a guess (of either shape) costs one hashing
    for an account with none and for one with several, and so does each right password."""
    bare = make_user("bare", password=PASSWORD)
    bare_key = make_consumer(bare)
    made = [api_password_create(user=aladdin, name=f"script {n}")[1] for n in range(5)]
    guesses = ["apw_" + "q" * 40, "a guess of another shape"]
    for guess in guesses:
        assert hashing_for(client, aladdin_key, "Aladdin", guess, counting_hasher) == (401, 1)
        assert hashing_for(client, bare_key, "bare", guess, counting_hasher) == (401, 1)
        assert hashing_for(client, bare_key, "nobody", guess, counting_hasher) == (401, 1)
    assert hashing_for(client, aladdin_key, "Aladdin", made[3], counting_hasher) == (200, 1)
    assert hashing_for(client, bare_key, "bare", PASSWORD, counting_hasher) == (200, 1)


def test_a_warm_api_password_costs_one_query_for_its_row(aladdin, aladdin_key):
    """Remembered, an API password's check reads its row by primary key (revoked or not), and nothing more
    than the sign-in password's warm check does."""
    _, password = api_password_create(user=aladdin, name="warm")
    authenticate = ClientKeyBasicAuthentication().authenticate
    factory = APIRequestFactory()

    def queries_for(secret):
        def request():
            return Request(factory.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", secret),
                                       HTTP_X_CLIENT_KEY=aladdin_key.client_key))
        authenticate(request())
        authenticate(request())
        with CaptureQueriesContext(connection) as queries:
            user, _ = authenticate(request())
        assert user == aladdin
        return [query["sql"] for query in queries]

    sign_in = queries_for(PASSWORD)
    api = queries_for(password)
    assert len(api) == len(sign_in) + 1, api
    assert any("accounts_apipassword" in sql for sql in api)
    assert len(sign_in) <= (0 if settings.REDIS_URL else 2)
