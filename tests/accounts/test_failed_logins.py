"""Brute force is bounded: failed password checks are counted per username and per client IP."""
import pytest
import requests

from tests.factories import basic_header, make_consumer, make_user
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
