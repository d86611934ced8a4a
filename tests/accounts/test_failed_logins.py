"""Brute force is bounded: failed password checks are counted per username and per client IP."""
import pytest
import requests

from tests.factories import basic_header, make_consumer, make_user
from tests.redis_commands import commands_sent_to_redis
from tests.servers import gunicorn_server


@pytest.fixture
def limits(settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 3
    settings.FAILED_LOGIN_LIMIT_PER_IP = 5
    settings.FAILED_LOGIN_WINDOW_SECONDS = 3600


def call(client, key, username="Aladdin", password="open sesame", **extra):
    return client.get("/v2", HTTP_AUTHORIZATION=basic_header(username, password),
                      HTTP_X_CLIENT_KEY=key.client_key, **extra)


def test_past_the_username_limit_even_the_right_password_waits(client, aladdin_key, limits):
    assert call(client, aladdin_key).status_code == 200  # remembered before the attack starts
    for _ in range(3):
        assert call(client, aladdin_key, password="guess").status_code == 401
    refused = call(client, aladdin_key)
    assert refused.status_code == 429
    body = refused.json()
    assert body["message"] == "Too many requests"
    assert body["additional"].startswith("Too many failed sign-in attempts; retry in ")
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_unknown_usernames_are_limited_like_known_ones(client, aladdin_key, limits):
    for _ in range(3):
        assert call(client, aladdin_key, username="nobody", password="guess").status_code == 401
    assert call(client, aladdin_key, username="nobody", password="guess").status_code == 429


def test_the_ip_limit_spans_usernames_and_a_forged_forwarded_for_does_not_reset_it(client, aladdin_key, limits):
    for n in range(5):
        response = call(client, aladdin_key, username=f"someone{n}", password="guess",
                        HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert response.status_code == 401
    response = call(client, aladdin_key, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_another_ip_is_not_cooled_off_by_an_ip_limit(client, aladdin_key, limits):
    for n in range(5):
        call(client, aladdin_key, username=f"someone{n}", password="guess")
    assert call(client, aladdin_key, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_admin_login_is_limited_the_same_way(client, db, limits):
    from django.contrib.auth import get_user_model
    get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    for _ in range(3):
        assert not client.login(username="staff", password="guess")
    assert not client.login(username="staff", password="staff password")


@pytest.mark.django_db(transaction=True)
def test_failures_are_counted_across_workers(password):
    key = make_consumer(make_user("Aladdin", password=password))
    env = {"FAILED_LOGIN_LIMIT_PER_USERNAME": "4", "FAILED_LOGIN_WINDOW_SECONDS": "3600"}
    with gunicorn_server(workers=3, extra_env=env) as base_url, requests.Session() as http:
        def status(secret):
            return http.get(f"{base_url}/v2", headers={
                "Authorization": basic_header("Aladdin", secret), "X-Client-Key": key.client_key,
            }).status_code

        assert [status("guess") for _ in range(4)] == [401] * 4
        assert [status(password) for _ in range(3)] == [429] * 3


def test_the_sign_in_page_answers_429_with_the_wait_during_a_cool_off(client, aladdin, password, limits):
    for _ in range(3):
        assert client.post("/login", {"username": "Aladdin", "password": "guess"}).status_code == 200
    response = client.post("/login", {"username": "Aladdin", "password": password})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- Issue 10: the guesser waits, the owner at another address does not -----------------------------

GUESSER, OWNER = "198.51.100.66", "192.0.2.50"


def test_the_owner_at_another_address_gets_in_while_the_guesser_waits(client, aladdin_key, limits):
    for _ in range(3):
        assert call(client, aladdin_key, password="guess", REMOTE_ADDR=GUESSER).status_code == 401
    refused = call(client, aladdin_key, REMOTE_ADDR=GUESSER)  # even the right password, from there
    assert refused.status_code == 429 and refused.json()["message"] == "Too many requests"
    assert call(client, aladdin_key, REMOTE_ADDR=OWNER).status_code == 200


def test_made_up_usernames_behind_the_proxy_do_not_lock_out_other_clients(client, aladdin_key, limits,
                                                                          settings):
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request comes through the one proxy
    for n in range(5):
        guess = call(client, aladdin_key, username=f"made-up-{n}", password="guess",
                     HTTP_X_FORWARDED_FOR=GUESSER, **proxy)
        assert guess.status_code == 401
    assert call(client, aladdin_key, username="made-up-9", password="guess",
                HTTP_X_FORWARDED_FOR=GUESSER, **proxy).status_code == 429
    assert call(client, aladdin_key, HTTP_X_FORWARDED_FOR=OWNER, **proxy).status_code == 200


def test_a_username_wide_ceiling_holds_across_addresses(client, aladdin_key, limits, settings):
    settings.FAILED_LOGIN_CEILING_PER_USERNAME = 5
    for n in range(5):  # one guess from each of five addresses, each far below the per-address limits
        assert call(client, aladdin_key, password="guess", REMOTE_ADDR=f"203.0.113.{n}").status_code == 401
    refused = call(client, aladdin_key, REMOTE_ADDR=OWNER)
    assert refused.status_code == 429 and refused.json()["message"] == "Too many requests"


def test_right_passwords_do_not_count_towards_a_cool_off(client, aladdin, password, limits):
    for _ in range(2):
        assert client.post("/login", {"username": "Aladdin", "password": "guess"}).status_code == 200
    for _ in range(4):  # each a full password check (a session's sign-in is not remembered)
        assert client.post("/login", {"username": "Aladdin", "password": password}).status_code == 302
        client.logout()
    assert client.post("/login", {"username": "Aladdin", "password": "guess"}).status_code == 200
    assert client.post("/login", {"username": "Aladdin", "password": password}).status_code == 429


def test_the_sign_in_page_lets_the_owner_in_from_another_address(client, aladdin, password, limits):
    for _ in range(3):
        client.post("/login", {"username": "Aladdin", "password": "guess"}, REMOTE_ADDR=GUESSER)
    refused = client.post("/login", {"username": "Aladdin", "password": password}, REMOTE_ADDR=GUESSER)
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts. Try again in " in refused.content.decode()
    signed_in = client.post("/login", {"username": "Aladdin", "password": password}, REMOTE_ADDR=OWNER)
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


def test_the_sign_in_page_counts_by_the_trusted_proxys_client_address(client, aladdin, password, limits,
                                                                       settings):
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        client.post("/login", {"username": "Aladdin", "password": "guess"}, HTTP_X_FORWARDED_FOR=GUESSER,
                    **proxy)
    assert client.post("/login", {"username": "Aladdin", "password": password},
                       HTTP_X_FORWARDED_FOR=GUESSER, **proxy).status_code == 429
    assert client.post("/login", {"username": "Aladdin", "password": password},
                       HTTP_X_FORWARDED_FOR=OWNER, **proxy).status_code == 302


def test_the_admin_login_answers_429_with_the_wait_and_lets_staff_in_elsewhere(client, db, limits):
    from django.contrib.auth import get_user_model
    get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    form = {"username": "staff", "next": "/admin/"}
    for _ in range(3):
        guess = client.post("/admin/login/", {**form, "password": "guess"}, REMOTE_ADDR=GUESSER)
        assert guess.status_code == 200
    refused = client.post("/admin/login/", {**form, "password": "staff password"}, REMOTE_ADDR=GUESSER)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many failed sign-in attempts. Try again in " in page
    assert "Please enter the correct" not in page and "_auth_user_id" not in client.session
    signed_in = client.post("/admin/login/", {**form, "password": "staff password"}, REMOTE_ADDR=OWNER)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"


def test_a_warm_basic_request_reads_the_counters_with_its_credentials(client, aladdin_key, settings):
    """The failed-login counters are read with the key's snapshot and the remembered password; a right
    password counts nothing, so a warm request makes that one read and the throttle's count."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis round trips to count")
    for _ in range(3):  # cold, then the key's snapshot and the password remembered
        assert call(client, aladdin_key).status_code == 200
    with commands_sent_to_redis() as calls:
        assert call(client, aladdin_key).status_code == 200
    assert len(calls) == 2, calls  # the read (key, password, failed logins), then the rate count


def test_the_database_fallback_keeps_every_count_however_full_it_gets(db, settings):
    """Django's database cache deletes a third of its rows once it holds 300: an attacker making rows
    (a made-up username each) must not thereby wipe the counts that hold them back."""
    settings.REDIS_URL = ""  # the database fallback, whatever this run is configured with
    settings.FAILED_LOGIN_LIMIT_PER_IP = 5
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    def refused(username, address):
        request = RequestFactory().post("/login", REMOTE_ADDR=address)
        authenticate(request, username=username, password="a guess")
        return bool(getattr(request, "failed_login_cool_off", None))

    assert [refused(f"made-up-{n}", GUESSER) for n in range(6)] == [False] * 5 + [True]
    for n in range(200):  # two to four rows each, from addresses of their own
        refused(f"other-{n}", f"10.1.0.{n}")
    assert refused("made-up-99", GUESSER)


def test_with_redis_unreachable_right_passwords_still_do_not_count(client, aladdin, password, limits, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # configured, nothing listening: counted in the database
    for _ in range(4):
        assert client.post("/login", {"username": "Aladdin", "password": password}).status_code == 302
        client.logout()
    for _ in range(3):
        assert client.post("/login", {"username": "Aladdin", "password": "guess"}).status_code == 200
    assert client.post("/login", {"username": "Aladdin", "password": password}).status_code == 429


def test_a_limit_lowered_within_the_second_applies_to_the_next_check(client, aladdin_key, limits, settings,
                                                                     monkeypatch):
    """A changed setting is seen at once, within the same second."""
    import time

    now = float(int(time.time()))
    monkeypatch.setattr(time, "time", lambda: now)
    for _ in range(2):
        assert call(client, aladdin_key, password="guess").status_code == 401
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 2
    assert call(client, aladdin_key, password="guess").status_code == 429
