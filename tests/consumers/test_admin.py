"""Staff find a client by its key, see its owner, revoke it; the secret never shows."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from consumers.models import Consumer
from tests.factories import basic_header


@pytest.fixture
def staff_client(client, db):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    client.force_login(staff)
    return client


def test_search_by_key_finds_the_client_and_its_owner(staff_client, aladdin_key):
    page = staff_client.get("/admin/consumers/consumer/", {"q": aladdin_key.client_key}).content.decode()
    assert aladdin_key.client_key in page and "Aladdin" in page
    assert aladdin_key.client_secret not in page


def test_change_page_never_shows_the_secret(staff_client, aladdin_key):
    page = staff_client.get(f"/admin/consumers/consumer/{aladdin_key.pk}/change/").content.decode()
    assert aladdin_key.client_key in page
    assert aladdin_key.client_secret not in page


def test_revoke_action_stops_the_key(staff_client, aladdin_key, aladdin, password):
    response = staff_client.post("/admin/consumers/consumer/", {
        "action": "revoke_clients", "_selected_action": [aladdin_key.pk],
    })
    assert response.status_code == 302
    assert not Consumer.objects.get(pk=aladdin_key.pk).is_active
    api = Client()
    refused = api.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                      HTTP_X_CLIENT_KEY=aladdin_key.client_key)
    assert refused.status_code == 403 and refused.json()["message"] == "Invalid client key"
