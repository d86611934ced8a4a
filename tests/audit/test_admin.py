"""Staff read the audit trail in the admin, filter and search it; nobody can add, change or delete."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from audit.services import audit_record

URL = "/admin/audit/auditevent/"


@pytest.fixture
def staff_client(client, db):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    client.force_login(staff)
    return client


@pytest.fixture
def event(db):
    audit_record(action=AuditEvent.Action.CLIENT_REVOKED, subject="other-key")
    return audit_record(action=AuditEvent.Action.CLIENT_REGISTERED, ip="203.0.113.7",
                        subject="the-client-key", detail={"owner": "Aladdin"})


def test_list_filters_and_searches(staff_client, event):
    page = staff_client.get(URL).content.decode()
    assert "the-client-key" in page and "other-key" in page and "203.0.113.7" in page
    assert "delete_selected" not in page  # no bulk delete action
    searched = staff_client.get(URL, {"q": "the-client"}).content.decode()
    assert "the-client-key" in searched and "other-key" not in searched
    filtered = staff_client.get(URL, {"action__exact": "client_revoked"}).content.decode()
    assert "other-key" in filtered and "the-client-key" not in filtered


def test_an_event_is_shown_read_only(staff_client, event):
    response = staff_client.get(f"{URL}{event.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "the-client-key" in page and 'name="_save"' not in page and "Delete" not in page


def test_nothing_can_be_added_changed_or_deleted(staff_client, event):
    assert staff_client.get(f"{URL}add/").status_code == 403
    assert staff_client.post(f"{URL}{event.pk}/change/", {"subject": "rewritten"}).status_code == 403
    assert staff_client.get(f"{URL}{event.pk}/delete/").status_code == 403
    assert staff_client.post(f"{URL}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    staff_client.post(URL, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()  # still there, unchanged
    assert event.subject == "the-client-key"


# --- In words: from → to, apps by name, details as text ----------------------------------------------


@pytest.fixture
def trail(db):
    from accounts.services import account_suspend
    from consumers.services import consumer_revoke, consumer_secret_rotate
    from tests.factories import make_consumer, make_user

    owner = make_user("Aladdin")
    app = make_consumer(owner, name="Photo sync")
    account_suspend(user=owner, reason="terms", note="Resold API access")
    consumer_revoke(consumer=app)
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=24))
    return owner, app


def test_the_list_says_from_what_to_what_names_apps_and_reads_as_words(staff_client, trail):
    owner, app = trail
    page = staff_client.get(URL).content.decode()
    assert '<td class="field-change">active → disabled</td>' in page
    assert '<td class="field-change">active → revoked</td>' in page
    assert (f'<a href="/admin/consumers/consumer/{app.pk}/change/">Photo sync</a> '
            f'<span class="client-key">({app.client_key})</span>') in page
    assert f'<a href="/admin/auth/user/{owner.pk}/change/">Aladdin</a>' in page
    assert "Note: Resold API access" in page and "Old secret: kept working for 24 hours" in page
    assert "Owner: Aladdin" in page and '{"' not in page and "&quot;note&quot;" not in page


def test_an_event_page_reads_as_words_too(staff_client, trail):
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_STATE_CHANGED)
    page = staff_client.get(f"{URL}{event.pk}/change/").content.decode()
    assert "active → disabled" in page and "Note: Resold API access" in page and "&quot;from&quot;" not in page
    assert event.created.strftime("%Y-%m-%d %H:%M UTC") in page
