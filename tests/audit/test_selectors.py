"""The security logs of an app and of an account, read from the audit trail the real services write:
what happened in words, who ("you", "staff", "the system", never a staff username), the developer's own
address only, newest first, bounded, and nothing of anyone else's."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from accounts.payment_notices import NoticeBody
from accounts.services import (
    account_basic_sign_in_password_set,
    account_charge,
    account_lock_for_unpaid_balance,
    account_payment_notice_record,
    account_restore,
    api_password_create,
    api_password_revoke,
)
from audit.models import AuditEvent
from audit.selectors import LOG_LENGTH, STAFF, SYSTEM, YOU, account_security_log, client_security_log
from consumers.services import (
    consumer_previous_secret_expire,
    consumer_register,
    consumer_revoke,
    consumer_secret_rotate,
    consumer_signature_debug_set,
    consumer_update,
)
from tests.factories import make_access_token, make_user

OWN_IP = "198.51.100.23"
STAFF_IP = "203.0.113.7"
PROVIDER_IP = "192.0.2.10"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("staff-member", "staff@example.com", "staff password")


@pytest.fixture
def owner(db):
    return make_user("owner")


def rows(log):
    return [(entry.what, entry.by, entry.address) for entry in log]


def test_an_apps_changes_in_words_newest_first(owner, staff):
    app = consumer_register(user=owner, name="Printer", callback_url="https://printer.example/cb",
                            actor=owner, ip=OWN_IP)
    consumer_update(consumer=app, name="Printer 2", callback_url="https://printer.example/cb", actor=owner, ip=OWN_IP)
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1), actor=owner, ip=OWN_IP)
    consumer_previous_secret_expire(consumer=app, actor=owner, ip=OWN_IP)
    consumer_signature_debug_set(consumer=app, enabled=True, actor=owner, ip=OWN_IP)
    make_access_token(app, make_user("alice"))  # an end user's approval: hers, not a change to the app
    consumer_revoke(consumer=app, note="Scraping", actor=staff, ip=STAFF_IP)

    assert rows(client_security_log(app)) == [
        ("App revoked: its key and every token issued to it stopped working", STAFF, ""),
        ("Base strings in bad-signature answers turned on", YOU, OWN_IP),
        ("Previous secret expired before its overlap ended", YOU, OWN_IP),
        ("Secret rotated; the previous one kept working for 1 hour", YOU, OWN_IP),
        ("App details edited: name “Printer 2”, callback URL https://printer.example/cb", YOU, OWN_IP),
        ("App registered", YOU, OWN_IP),
    ]


def test_an_accounts_changes_in_words_newest_first(owner, staff, settings):
    api_password, _ = api_password_create(user=owner, name="nightly backup", ip=OWN_IP)
    api_password_revoke(api_password=api_password, actor=owner, ip=OWN_IP)
    account_basic_sign_in_password_set(user=owner, allowed=False, password="correct horse battery", ip=OWN_IP)
    account_charge(user=owner, amount="10")
    account_lock_for_unpaid_balance(user=owner, changed_by=staff, ip=STAFF_IP)
    account_payment_notice_record(notice=NoticeBody(notice_id="n-1", account="owner", amount=Decimal("10.00"),
                                                    currency=settings.BILLING_CURRENCY), ip=PROVIDER_IP)
    account_restore(user=owner, changed_by=staff, note="private reason", ip=STAFF_IP)  # already active: no-op

    log = account_security_log(owner)
    assert rows(log) == [
        (f"Payment of 10.00 {settings.BILLING_CURRENCY} received", SYSTEM, ""),
        ("API access restored", SYSTEM, ""),  # the payment lifted the lock
        ("API access locked for an unpaid balance", STAFF, ""),
        ("Sign-in password turned off for HTTP Basic: only API passwords work there", YOU, OWN_IP),
        ("API password “nightly backup” revoked", YOU, OWN_IP),
        ("API password “nightly backup” created", YOU, OWN_IP),
    ]
    shown = " ".join(f"{entry.what} {entry.by} {entry.address}" for entry in log)
    assert "staff-member" not in shown and STAFF_IP not in shown and "unpaid balance of" not in shown


def test_each_log_holds_only_its_own_subjects_events(owner):
    other = make_user("other")
    mine = consumer_register(user=owner, name="Mine", actor=owner, ip=OWN_IP)
    theirs = consumer_register(user=other, name="Theirs", actor=other, ip="192.0.2.77")
    api_password_create(user=other, name="theirs", ip="192.0.2.77")

    assert rows(client_security_log(mine)) == [("App registered", YOU, OWN_IP)]
    assert rows(client_security_log(theirs)) == [("App registered", YOU, "192.0.2.77")]
    assert account_security_log(owner) == []  # an app's changes are on its page, not in the account's log


def test_a_log_is_bounded_to_the_most_recent(owner):
    app = consumer_register(user=owner, name="Busy", actor=owner, ip=OWN_IP)
    for turn in range(LOG_LENGTH + 5):
        consumer_signature_debug_set(consumer=app, enabled=bool(turn % 2), actor=owner, ip=OWN_IP)
    log = client_security_log(app)
    assert len(log) == LOG_LENGTH
    assert log[0].what == "Base strings in bad-signature answers turned off"  # the last of 55 (turn 54)
    assert all(entry.what != "App registered" for entry in log)


def test_a_command_line_change_is_the_systems(owner):
    app = consumer_register(user=owner, name="From the CLI")
    assert rows(client_security_log(app)) == [("App registered", SYSTEM, "")]
    assert AuditEvent.objects.get().actor_ip is None


def test_a_username_taken_again_does_not_inherit_the_earlier_accounts_log(db):
    earlier = make_user("reused")
    api_password_create(user=earlier, name="earlier's script", ip="192.0.2.1")
    earlier.delete()  # its events stay in the trail, under its username
    later = make_user("reused")
    assert account_security_log(later) == []
    api_password_create(user=later, name="mine", ip=OWN_IP)
    assert rows(account_security_log(later)) == [("API password “mine” created", YOU, OWN_IP)]
