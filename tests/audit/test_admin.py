"""Staff read the audit trail in the admin, filter and search it; nobody can add, change or delete."""
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
