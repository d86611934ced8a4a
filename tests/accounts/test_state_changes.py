"""Staff lock, disable and restore accounts through the admin and the command line; the API follows."""
import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import AccountState, AccountStateChange
from accounts.policy import account_state
from accounts.services import account_charge
from tests.factories import basic_header, make_consumer, make_user
from tests.servers import gunicorn_server

LOCKED = "No API Access"
DISABLED = "API Access is disabled"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")


def admin_action(client, staff, action, *users):
    client.force_login(staff)
    response = client.post("/admin/auth/user/", {
        "action": action, "_selected_action": [user.pk for user in users], "apply": "1",  # yes, on the page that asks
        **({"reason": "Resold API access"} if action == "disable_for_terms_violation" else {}),
    })
    client.logout()
    assert response.status_code == 302, response.content[:500]


def api_message(api):
    response = api.get("/v2")
    return response.status_code, response.json().get("message")


@pytest.mark.parametrize("action,message", [
    ("lock_for_unpaid_balance", LOCKED),
    ("disable_for_terms_violation", DISABLED),
])
def test_admin_action_takes_effect_on_the_next_request_and_restore_reverses_it(
        api, aladdin, staff, action, message):
    account_charge(user=aladdin, amount="10")  # a billing lock needs something owed
    staff_client = Client()  # `api` carries Basic credentials; staff need a session of their own
    assert api_message(api) == (200, None)
    admin_action(staff_client, staff, action, aladdin)
    assert api_message(api) == (403, message)
    admin_action(staff_client, staff, "restore_api_access", aladdin)
    assert api_message(api) == (200, None)


def test_admin_actions_record_who_did_what(aladdin, staff):
    account_charge(user=aladdin, amount="10")
    admin_action(Client(), staff, "lock_for_unpaid_balance", aladdin)
    change = AccountStateChange.objects.get(user=aladdin)
    assert (change.from_state, change.to_state, change.changed_by) == ("active", "locked", staff)
    assert "unpaid balance" in change.note


def test_admin_user_page_shows_state_history(client, aladdin, staff):
    call_command("suspend", "Aladdin", "--billing", "--note", "Invoice 42 unpaid")
    client.force_login(staff)
    page = client.get(f"/admin/auth/user/{aladdin.pk}/change/").content.decode()
    assert "API access history" in page and "Invoice 42 unpaid" in page
    listing = client.get("/admin/auth/user/").content.decode()
    assert "locked" in listing


@pytest.mark.parametrize("flag,message,state", [
    ("--billing", LOCKED, AccountState.LOCKED),
    ("--terms", DISABLED, AccountState.DISABLED),
])
def test_suspend_and_restore_commands(api, aladdin, flag, message, state, capsys):
    call_command("suspend", "Aladdin", flag, "--note", "from the test")
    assert f"API access is now {state}" in capsys.readouterr().out
    assert api_message(api) == (403, message)
    change = AccountStateChange.objects.get(user=aladdin)
    assert change.note == "from the test" and change.changed_by is None

    call_command("restore", "Aladdin")
    assert api_message(api) == (200, None)
    assert AccountStateChange.objects.filter(user=aladdin).count() == 2


def test_suspend_needs_exactly_one_reason(aladdin):
    with pytest.raises(CommandError):
        call_command("suspend", "Aladdin")
    with pytest.raises(CommandError):
        call_command("suspend", "Aladdin", "--billing", "--terms")
    assert account_state(aladdin) == AccountState.ACTIVE


def test_commands_refuse_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named"):
        call_command("suspend", "nobody", "--billing")
    with pytest.raises(CommandError, match="No user named"):
        call_command("restore", "nobody")


def test_same_state_twice_records_one_change(aladdin):
    account_charge(user=aladdin, amount="10")
    call_command("suspend", "Aladdin", "--billing")
    call_command("suspend", "Aladdin", "--billing")
    assert AccountStateChange.objects.filter(user=aladdin).count() == 1


def test_a_locked_user_can_still_sign_in_to_pay(client, aladdin, password):
    account_charge(user=aladdin, amount="10")
    call_command("suspend", "Aladdin", "--billing")
    aladdin.refresh_from_db()
    assert aladdin.is_active
    assert client.login(username="Aladdin", password=password)


@pytest.mark.django_db(transaction=True)
def test_state_change_applies_on_every_worker_at_once(password):
    """Several gunicorn workers, each with its own connection: none may answer from stale state."""
    user = make_user("Aladdin", password=password)
    key = make_consumer(user).client_key
    headers = {"Authorization": basic_header("Aladdin", password), "X-Client-Key": key}
    with gunicorn_server(workers=3) as base_url, requests.Session() as http:
        def statuses():
            return {http.get(f"{base_url}/v2", headers=headers).status_code for _ in range(12)}

        assert statuses() == {200}
        call_command("suspend", "Aladdin", "--terms")
        assert statuses() == {403}
        call_command("restore", "Aladdin")
        assert statuses() == {200}


@pytest.fixture
def unreachable_redis(settings):
    """Redis configured but not answering (nothing listens on port 1): a forget cannot be done."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"


def test_an_admin_action_that_cannot_reach_the_shared_cache_changes_nothing(client, aladdin, aladdin_key, staff,
                                                                             unreachable_redis):
    """Aladdin's client may be remembered with his state: the change must reach the cache or not be made."""
    account_charge(user=aladdin, amount="10.00", description="November usage")
    client.force_login(staff)
    response = client.post("/admin/auth/user/", {
        "action": "lock_for_unpaid_balance", "_selected_action": [aladdin.pk], "apply": "1",
    }, follow=True)
    assert response.status_code == 200
    assert "Nothing changed" in response.content.decode()
    assert account_state(aladdin) == AccountState.ACTIVE
    assert not AccountStateChange.objects.filter(user=aladdin).exists()


def test_suspend_that_cannot_reach_the_shared_cache_fails_and_changes_nothing(aladdin, aladdin_key,
                                                                               unreachable_redis):
    account_charge(user=aladdin, amount="10.00", description="November usage")
    with pytest.raises(CommandError, match="Nothing changed"):
        call_command("suspend", "Aladdin", "--billing")
    assert account_state(aladdin) == AccountState.ACTIVE
    assert not AccountStateChange.objects.filter(user=aladdin).exists()
