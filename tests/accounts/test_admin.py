"""Staff's user and ledger pages in the admin: Lock and Disable ask first and take staff's reason into
the account's history and the audit trail; messages in plain English; charges found by username."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.forms import wait_in_words
from accounts.models import AccountState, AccountStateChange, BalanceEntry
from accounts.policy import account_state
from accounts.services import account_charge
from audit.models import AuditEvent
from tests.factories import make_user

URL = "/admin/auth/user/"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def choose(staff_client, action, *users, **form):
    return staff_client.post(URL, {"action": action, "_selected_action": [user.pk for user in users], **form},
                             follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_lock_asks_first_listing_what_each_owes(staff_client, aladdin):
    erin = make_user("erin")
    account_charge(user=aladdin, amount="25")
    asked = choose(staff_client, "lock_for_unpaid_balance", aladdin, erin)
    page = asked.content.decode()
    assert asked.redirect_chain == [] and "Lock API access for an unpaid balance" in page
    assert "Aladdin: API access active, owes 25.00 USD" in page and "erin: API access active, owes nothing" in page
    assert 'name="reason"' in page and 'value="Lock API access"' in page
    assert account_state(aladdin) == AccountState.ACTIVE and not AccountStateChange.objects.exists()

    done = choose(staff_client, "lock_for_unpaid_balance", aladdin, erin, apply="1")
    assert messages_of(done) == ["1 account locked.",
                                 "Not locked, nothing is owed: erin. To lock anyway, give a reason."]
    assert (account_state(aladdin), account_state(erin)) == (AccountState.LOCKED, AccountState.ACTIVE)


def test_a_reason_goes_into_the_history_and_the_audit_trail(staff_client, staff, aladdin):
    erin = make_user("erin")
    done = choose(staff_client, "lock_for_unpaid_balance", aladdin, erin, apply="1",
                  reason="Card charge reversed by the bank")
    assert messages_of(done) == ["2 accounts locked."]  # a reason locks those who owe nothing too
    change = AccountStateChange.objects.get(user=erin)
    assert (change.note, change.changed_by) == ("Card charge reversed by the bank", staff)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_STATE_CHANGED, subject="erin")
    assert event.detail == {"from": "active", "to": "locked", "note": "Card charge reversed by the bank"}


def test_disable_needs_a_reason(staff_client, staff, aladdin):
    asked = choose(staff_client, "disable_for_terms_violation", aladdin)
    assert "Disable API access for a terms violation" in asked.content.decode()
    refused = choose(staff_client, "disable_for_terms_violation", aladdin, apply="1", reason="  ")
    assert "This field is required." in refused.content.decode()
    assert account_state(aladdin) == AccountState.ACTIVE and not AuditEvent.objects.exists()

    done = choose(staff_client, "disable_for_terms_violation", aladdin, apply="1", reason="Resold API access")
    assert messages_of(done) == ["1 account disabled."]
    assert account_state(aladdin) == AccountState.DISABLED
    assert AccountStateChange.objects.get(user=aladdin).note == "Resold API access"
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_STATE_CHANGED)
    assert (event.actor, event.detail["note"]) == (staff, "Resold API access")


def test_restore_says_how_many_in_plain_english(staff_client, aladdin):
    erin = make_user("erin")
    for user in (aladdin, erin):
        choose(staff_client, "disable_for_terms_violation", user, apply="1", reason="Test")
    assert messages_of(choose(staff_client, "restore_api_access", aladdin, erin)) == ["2 accounts restored."]


@pytest.mark.parametrize("seconds, words", [
    (1, "1 second"), (45, "45 seconds"), (60, "1 minute"), (61, "2 minutes"), (877, "15 minutes"),
    (900, "15 minutes"), (3600, "60 minutes"), (7200, "2 hours"), (86400, "24 hours"),
])
def test_waits_in_words(seconds, words):
    assert wait_in_words(seconds) == words


def test_the_admin_sign_in_says_the_cool_off_in_minutes(client, staff, settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = 2
    settings.FAILED_LOGIN_WINDOW_SECONDS = 900
    form = {"username": "staff", "password": "guess", "next": "/admin/"}
    for _ in range(2):
        client.post("/admin/login/", form)
    refused = client.post("/admin/login/", form)
    wait = int(refused["Retry-After"])
    assert f"Too many failed sign-in attempts. Try again in {wait_in_words(wait)}." in refused.content.decode()
    assert "seconds." not in refused.content.decode() or wait < 60


def test_adding_a_charge_finds_the_user_by_username(staff_client, aladdin):
    make_user("alibaba")
    form = staff_client.get("/admin/accounts/balanceentry/add/").content.decode()
    assert 'class="admin-autocomplete' in form and 'name="user"' in form
    found = staff_client.get("/admin/autocomplete/", {
        "app_label": "accounts", "model_name": "balanceentry", "field_name": "user", "term": "alad"}).json()
    assert found["results"] == [{"id": str(aladdin.pk), "text": "Aladdin"}]
    response = staff_client.post("/admin/accounts/balanceentry/add/", {
        "user": found["results"][0]["id"], "kind": "charge", "amount": "12.50", "description": "November"})
    assert response.status_code == 302
    assert BalanceEntry.objects.get().user == aladdin


def test_the_user_page_shows_sign_in_dates_as_facts(staff_client, aladdin):
    page = staff_client.get(f"{URL}{aladdin.pk}/change/").content.decode()
    assert 'name="date_joined_0"' not in page and 'name="last_login_0"' not in page
    assert aladdin.date_joined.strftime("%Y-%m-%d %H:%M UTC") in page
