"""Every audited change, done through its real entry point (admin action, page, command), is recorded
with who, when, what and from which IP, and no record holds a secret."""
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.services import account_charge, account_suspend
from audit.models import AuditEvent
from consumers.models import Consumer
from tests.factories import make_access_token, make_consumer, make_request_token, make_user

Action = AuditEvent.Action
STAFF_IP = "203.0.113.7"
USER_IP = "198.51.100.23"
FORGED = {"HTTP_X_FORWARDED_FOR": "192.0.2.99"}  # the client's to forge: never recorded


@pytest.fixture
def staff(db):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    client = Client(REMOTE_ADDR=STAFF_IP)
    client.force_login(staff)
    client.user = staff
    return client


@pytest.fixture
def developer(aladdin):
    client = Client(REMOTE_ADDR=USER_IP)
    client.force_login(aladdin)
    return client


def only_event(action):
    (event,) = AuditEvent.objects.filter(action=action)
    assert timezone.now() - event.created < timedelta(minutes=1)
    return event


def who(event):
    return (event.actor.username if event.actor else None, event.actor_ip, event.subject)


def assert_no_secret(*secrets):
    """No event anywhere mentions any of `secrets`."""
    recorded = json.dumps([[e.subject, e.detail] for e in AuditEvent.objects.all()])
    for secret in secrets:
        assert secret not in recorded


# --- Account state ------------------------------------------------------------------------------


def test_admin_lock_action(staff, aladdin):
    account_charge(user=aladdin, amount="10")
    response = staff.post("/admin/auth/user/", {"action": "lock_for_unpaid_balance", "apply": "1",
                                                 "_selected_action": [aladdin.pk]}, **FORGED)
    assert response.status_code == 302
    event = only_event(Action.ACCOUNT_STATE_CHANGED)
    assert who(event) == ("staff", STAFF_IP, "Aladdin")
    assert event.detail["from"] == "active" and event.detail["to"] == "locked"
    assert "unpaid balance" in event.detail["note"]


def test_suspend_and_restore_commands(aladdin):
    call_command("suspend", "Aladdin", "--terms", "--note", "Scraping")
    call_command("restore", "Aladdin")
    disabled, restored = AuditEvent.objects.filter(action=Action.ACCOUNT_STATE_CHANGED).order_by("id")
    assert who(disabled) == (None, None, "Aladdin") and who(restored) == (None, None, "Aladdin")
    assert (disabled.detail["to"], disabled.detail["note"]) == ("disabled", "Scraping")
    assert (restored.detail["from"], restored.detail["to"]) == ("disabled", "active")


def test_a_change_to_the_same_state_records_nothing(aladdin):
    call_command("restore", "Aladdin")
    assert not AuditEvent.objects.exists()


# --- Clients ------------------------------------------------------------------------------------


def test_register_page(developer):
    response = developer.post("/apps/new", {"name": "Shop sync", "scopes": ["products:read"],
                                            "callback_url": "https://shop.example/cb"}, **FORGED)
    assert response.status_code == 302  # post/redirect/get: the secret is shown on the next GET
    consumer = Consumer.objects.get(name="Shop sync")
    event = only_event(Action.CLIENT_REGISTERED)
    assert who(event) == ("Aladdin", USER_IP, consumer.client_key)
    assert event.detail == {"owner": "Aladdin", "name": "Shop sync", "scopes": ["products:read"],
                            "callback_url": "https://shop.example/cb"}
    assert_no_secret(consumer.client_secret)


def test_createconsumer_command(aladdin):
    call_command("createconsumer", "Aladdin", "--name", "CLI app", "--json", stdout=io.StringIO())
    consumer = Consumer.objects.get(name="CLI app")
    assert who(only_event(Action.CLIENT_REGISTERED)) == (None, None, consumer.client_key)
    assert_no_secret(consumer.client_secret)


def test_rotate_page(developer, aladdin_key):
    AuditEvent.objects.all().delete()
    old_secret = aladdin_key.client_secret
    assert developer.post(f"/apps/{aladdin_key.pk}/rotate-secret", {"overlap": "1h"}).status_code == 302
    event = only_event(Action.CLIENT_SECRET_ROTATED)
    assert who(event) == ("Aladdin", USER_IP, aladdin_key.client_key)
    assert_no_secret(old_secret, Consumer.objects.get(pk=aladdin_key.pk).client_secret)


def test_edit_page(developer, aladdin_key):
    developer.post(f"/apps/{aladdin_key.pk}/edit", {"name": "Renamed", "callback_url": "https://new.example/cb"})
    event = only_event(Action.CLIENT_UPDATED)
    assert who(event) == ("Aladdin", USER_IP, aladdin_key.client_key)
    assert event.detail["callback_url"] == "https://new.example/cb"


def test_revoke_page(developer, aladdin_key):
    assert developer.post(f"/apps/{aladdin_key.pk}/revoke").status_code == 302
    assert who(only_event(Action.CLIENT_REVOKED)) == ("Aladdin", USER_IP, aladdin_key.client_key)


def test_admin_revoke_action_records_once(staff, aladdin_key):
    for _ in range(2):  # revoking a revoked client changes nothing, and records nothing
        staff.post("/admin/consumers/consumer/", {"action": "revoke_clients", "_selected_action": [aladdin_key.pk],
                                                  "apply": "1"})
    assert who(only_event(Action.CLIENT_REVOKED)) == ("staff", STAFF_IP, aladdin_key.client_key)


# --- OAuth tokens -------------------------------------------------------------------------------


@pytest.fixture
def app(db):
    return make_consumer(make_user("developer"), name="Printer")


@pytest.fixture
def alice(db):
    client = Client(REMOTE_ADDR=USER_IP)
    client.force_login(make_user("alice"))
    return client


def test_authorize_page_approval(alice, app):
    request_token = make_request_token(app)
    response = alice.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "authorize"},
                          **FORGED)
    assert response.status_code == 200
    event = only_event(Action.TOKEN_APPROVED)
    assert who(event) == ("alice", USER_IP, app.client_key)
    assert event.detail == {"user": "alice", "scopes": app.scope_list}
    request_token.refresh_from_db()
    assert_no_secret(request_token.secret, request_token.verifier, app.client_secret)


def test_denial_records_no_approval(alice, app):
    request_token = make_request_token(app)
    alice.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "deny"})
    assert not AuditEvent.objects.filter(action=Action.TOKEN_APPROVED).exists()


def test_authorized_apps_page_revoke(alice, app):
    token = make_access_token(app, get_user_model().objects.get(username="alice"))
    assert alice.post(f"/account/apps/{token.pk}/revoke").status_code == 302
    event = only_event(Action.TOKEN_REVOKED)
    assert who(event) == ("alice", USER_IP, app.client_key)
    assert event.detail == {"user": "alice", "access_token_id": token.pk}
    assert_no_secret(token.secret)


def test_admin_token_revoke_action(staff, app):
    token = make_access_token(app, make_user("bob"))
    staff.post("/admin/consumers/accesstoken/", {"action": "revoke_access_tokens", "_selected_action": [token.pk]})
    assert who(only_event(Action.TOKEN_REVOKED)) == ("staff", STAFF_IP, app.client_key)


def test_a_payment_in_the_admin_that_lifts_a_lock(staff, aladdin):
    account_charge(user=aladdin, amount="20")
    account_suspend(user=aladdin, reason="billing")
    AuditEvent.objects.all().delete()
    response = staff.post("/admin/accounts/balanceentry/add/", {
        "user": aladdin.pk, "kind": "payment", "amount": "20.00", "description": "Bank transfer",
    })
    assert response.status_code == 302
    event = only_event(Action.ACCOUNT_STATE_CHANGED)
    assert who(event) == ("staff", STAFF_IP, "Aladdin")
    assert (event.detail["from"], event.detail["to"]) == ("locked", "active")
