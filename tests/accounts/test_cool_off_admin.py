"""Staff see who is cooling off after failed sign-ins on a user's admin page, and clear it (audited)."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import AuditEvent
from tests.factories import basic_header

GUESSER, OWNER_AT_HOME = "198.51.100.66", "192.0.2.50"


@pytest.fixture
def limits(settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 3
    settings.FAILED_LOGIN_WINDOW_SECONDS = 3600


@pytest.fixture
def staff_client(db):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    client = Client()
    client.force_login(staff)
    return client


def basic(client, key, password, address):
    return client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                      HTTP_X_CLIENT_KEY=key.client_key, REMOTE_ADDR=address).status_code


def test_the_user_page_shows_the_cool_off_and_the_failures_by_address(client, aladdin, aladdin_key, limits,
                                                                      staff_client):
    for _ in range(3):
        basic(client, aladdin_key, "a guess", GUESSER)
    basic(client, aladdin_key, "another guess", OWNER_AT_HOME)
    page = staff_client.get(f"/admin/auth/user/{aladdin.pk}/change/").content.decode()
    assert "Failed sign-ins" in page
    assert "Cooling off at some addresses until " in page and " UTC" in page
    assert "4 failures in this window" in page
    assert f"{GUESSER}: 3 (cooling off); {OWNER_AT_HOME}: 1." in page


def test_a_user_with_no_failures_reads_none(aladdin, staff_client):
    page = staff_client.get(f"/admin/auth/user/{aladdin.pk}/change/").content.decode()
    assert "None in this window." in page


def test_clearing_ends_the_cool_off_and_is_recorded(client, aladdin, aladdin_key, password, limits, staff_client):
    for _ in range(3):
        basic(client, aladdin_key, "a guess", OWNER_AT_HOME)  # the owner forgot the new password
    assert basic(client, aladdin_key, password, OWNER_AT_HOME) == 429
    response = staff_client.post("/admin/auth/user/", {
        "action": "clear_failed_sign_ins", "_selected_action": [aladdin.pk]}, follow=True)
    assert "1 account cleared of failed sign-ins." in response.content.decode()
    assert basic(client, aladdin_key, password, OWNER_AT_HOME) == 200
    page = staff_client.get(f"/admin/auth/user/{aladdin.pk}/change/").content.decode()
    assert "None in this window." in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.FAILED_LOGINS_CLEARED)
    assert event.subject == "Aladdin" and event.actor.username == "staff"
    assert event.detail == {"failures": 3, "addresses": 1, "was_cooling_off": True}


def test_clearing_that_cannot_reach_the_shared_cache_clears_nothing_and_records_nothing(aladdin, staff_client,
                                                                                         settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # configured, nothing listening
    response = staff_client.post("/admin/auth/user/", {
        "action": "clear_failed_sign_ins", "_selected_action": [aladdin.pk]}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.FAILED_LOGINS_CLEARED).exists()
