"""The Consumer Registration URL: own clients only, the secret shown once, rotate, edit, revoke."""
import pytest

from consumers.models import Consumer
from tests import factories

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "Shop sync", "description": "Keeps my shop in step", "website": "https://shop.example",
    "callback_url": "https://shop.example/oauth/callback", "scopes": ["products:read", "account:read"],
}


@pytest.fixture
def developer(client, aladdin):
    client.force_login(aladdin)
    return client


def test_pages_need_a_sign_in(client):
    assert client.get("/apps/").status_code == 302
    assert client.get("/apps/new").status_code == 302


def test_register_shows_the_secret_once_in_the_response(developer, aladdin):
    response = developer.post("/apps/new", REGISTRATION)
    assert response.status_code == 200
    consumer = Consumer.objects.get(name="Shop sync")
    assert consumer.user == aladdin and consumer.scope_list == ["account:read", "products:read"]
    assert consumer.callback_url == REGISTRATION["callback_url"]
    page = response.content.decode()
    assert consumer.client_secret in page and consumer.client_key in page
    assert 'data-copy="client-secret"' in page
    assert "no-store" in response["Cache-Control"]
    # Not kept anywhere for showing again: not in the session, not on the app's page.
    assert consumer.client_secret not in str(dict(developer.session.items()))
    detail = developer.get(f"/apps/{consumer.pk}/").content.decode()
    assert consumer.client_key in detail and consumer.client_secret not in detail
    assert "products:read" in detail and REGISTRATION["callback_url"] in detail


def test_register_offers_every_scope_as_a_labelled_checkbox(developer):
    page = developer.get("/apps/new").content.decode()
    for index, scope in enumerate(["account:read", "products:read", "products:write"]):
        assert f'type="checkbox" name="scopes" value="{scope}"' in page
        assert f'<label for="id_scopes_{index}">' in page
    for field in ("name", "description", "website", "callback_url"):
        assert f'<label for="id_{field}"' in page


def test_register_needs_a_scope_and_a_name(developer):
    response = developer.post("/apps/new", {**REGISTRATION, "scopes": [], "name": ""})
    page = response.content.decode()
    assert "Choose at least one scope." in page and "This field is required." in page
    assert not Consumer.objects.exists()


def test_list_shows_only_my_apps(developer, aladdin_key):
    other = factories.make_consumer(factories.make_user(), name="Not yours")
    page = developer.get("/apps/").content.decode()
    assert aladdin_key.name in page and other.name not in page


@pytest.mark.parametrize("suffix, method", [
    ("/", "get"), ("/edit", "get"), ("/edit", "post"), ("/rotate-secret", "post"),
    ("/revoke", "get"), ("/revoke", "post"),
])
def test_another_developers_app_is_a_404(developer, suffix, method):
    other = factories.make_consumer(factories.make_user(), name="Not yours")
    secret = other.client_secret
    response = getattr(developer, method)(f"/apps/{other.pk}{suffix}", {"name": "taken over"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "Not yours" and other.client_secret == secret and other.is_active


def test_rotate_shows_the_new_secret_once(developer, aladdin_key):
    old = aladdin_key.client_secret
    response = developer.post(f"/apps/{aladdin_key.pk}/rotate-secret")
    aladdin_key.refresh_from_db()
    assert aladdin_key.client_secret != old
    page = response.content.decode()
    assert aladdin_key.client_secret in page and old not in page
    assert "previous secret has stopped working" in page
    assert developer.get(f"/apps/{aladdin_key.pk}/rotate-secret").status_code == 405


def test_edit_changes_details_but_not_scopes(developer, aladdin_key):
    scopes = aladdin_key.scopes
    response = developer.post(f"/apps/{aladdin_key.pk}/edit", {
        "name": "Renamed", "description": "", "website": "", "callback_url": "https://new.example/cb",
        "scopes": ["products:write"],
    })
    assert response.status_code == 302
    aladdin_key.refresh_from_db()
    assert aladdin_key.name == "Renamed" and aladdin_key.callback_url == "https://new.example/cb"
    assert aladdin_key.scopes == scopes


def test_revoke_asks_then_revokes_and_the_key_stops(developer, api, aladdin_key):
    assert "cannot be undone" in developer.get(f"/apps/{aladdin_key.pk}/revoke").content.decode()
    assert developer.post(f"/apps/{aladdin_key.pk}/revoke")["Location"] == "/apps/"
    aladdin_key.refresh_from_db()
    assert not aladdin_key.is_active
    assert "revoked" in developer.get("/apps/").content.decode()
    # A revoked app can be looked at, not changed.
    assert developer.get(f"/apps/{aladdin_key.pk}/").status_code == 200
    assert developer.get(f"/apps/{aladdin_key.pk}/edit").status_code == 404
    assert developer.post(f"/apps/{aladdin_key.pk}/rotate-secret").status_code == 404


def test_revoked_key_is_refused_by_the_api(client, aladdin, aladdin_key, password):
    client.force_login(aladdin)
    client.post(f"/apps/{aladdin_key.pk}/revoke")
    response = client.get("/v2/products", HTTP_AUTHORIZATION=factories.basic_header(aladdin.username, password),
                          HTTP_X_CLIENT_KEY=aladdin_key.client_key)
    assert response.status_code == 403 and response.json()["message"] == "Invalid client key"
