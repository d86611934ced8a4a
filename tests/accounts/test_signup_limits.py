"""Signup is limited per client address (`SIGNUP_RATE_LIMIT`), with a friendly 429 page."""
import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

STRONG = "a sturdy passphrase 42"
HERE, ELSEWHERE = "198.51.100.66", "192.0.2.50"


@pytest.fixture(autouse=True)
def two_an_hour(settings):
    settings.SIGNUP_RATE_LIMIT = "2/hour"


def signup(client, n, address, password2=STRONG, **headers):
    return client.post("/signup", {"username": f"dev{n}", "email": f"dev{n}@example.com",
                                   "password1": STRONG, "password2": password2}, REMOTE_ADDR=address, **headers)


def test_past_the_limit_an_address_gets_a_friendly_429_and_no_account(client):
    for n in range(2):
        assert signup(client, n, HERE).status_code == 302
        client.logout()
    refused = signup(client, 2, HERE)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many accounts were created from here" in page and "try again in about" in page
    assert 'href="/login"' in page
    assert not get_user_model().objects.filter(username="dev2").exists()
    assert client.get("/signup", REMOTE_ADDR=HERE).status_code == 429  # told before filling the form in


def test_another_address_can_still_sign_up(client):
    for n in range(2):
        signup(client, n, HERE)
        client.logout()
    assert signup(client, 2, ELSEWHERE).status_code == 302


def test_forms_with_mistakes_do_not_count(client):
    for n in range(3):
        assert signup(client, n, HERE, password2="a different one").status_code == 200
    assert signup(client, 3, HERE).status_code == 302


def test_behind_a_proxy_each_client_address_has_its_own_limit(client, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(2):
        signup(client, n, "10.0.0.1", HTTP_X_FORWARDED_FOR=HERE)
        client.logout()
    assert signup(client, 2, "10.0.0.1", HTTP_X_FORWARDED_FOR=HERE).status_code == 429
    assert signup(client, 3, "10.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 302
