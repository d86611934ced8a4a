"""The Consumer Registration URL: own clients only, the secret shown once, rotate, edit, revoke."""
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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


def test_register_redirects_and_the_next_get_shows_the_secret_once(developer, aladdin):
    response = developer.post("/apps/new", REGISTRATION)
    consumer = Consumer.objects.get(name="Shop sync")
    assert response.status_code == 302 and response["Location"] == f"/apps/{consumer.pk}/secret"
    assert consumer.user == aladdin and consumer.scope_list == ["account:read", "products:read"]
    assert consumer.callback_url == REGISTRATION["callback_url"]
    # While it crosses the redirect the secret is sealed in the session, never in plaintext.
    assert consumer.client_secret not in str(dict(developer.session.items()))
    shown = developer.get(response["Location"])
    page = shown.content.decode()
    assert consumer.client_secret in page and consumer.client_key in page
    assert 'data-copy="client-secret"' in page
    assert "no-store" in shown["Cache-Control"]
    # A reload shows it no more, and says how to get a new one; nothing was registered twice.
    reloaded = developer.get(response["Location"]).content.decode()
    assert consumer.client_secret not in reloaded and "Rotate secret" in reloaded
    assert Consumer.objects.count() == 1
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


def test_rotate_asks_first_then_shows_the_new_secret_once(developer, aladdin_key):
    old = aladdin_key.client_secret
    question = developer.get(f"/apps/{aladdin_key.pk}/rotate-secret").content.decode()
    assert "keeps working for 1 hour" in question and "stops working now" in question
    aladdin_key.refresh_from_db()
    assert aladdin_key.client_secret == old  # asking changes nothing
    response = developer.post(f"/apps/{aladdin_key.pk}/rotate-secret", {"overlap": "0"})
    assert response.status_code == 302 and response["Location"] == f"/apps/{aladdin_key.pk}/secret"
    aladdin_key.refresh_from_db()
    assert aladdin_key.client_secret != old and aladdin_key.secrets_in_force() == (aladdin_key.client_secret,)
    page = developer.get(response["Location"]).content.decode()
    assert aladdin_key.client_secret in page and old not in page
    assert "previous secret has stopped working" in page
    assert aladdin_key.client_secret not in developer.get(response["Location"]).content.decode()


def test_rotate_with_an_overlap_keeps_the_old_secret_for_that_long(developer, aladdin_key):
    old = aladdin_key.client_secret
    developer.post(f"/apps/{aladdin_key.pk}/rotate-secret", {"overlap": "24h"})
    aladdin_key.refresh_from_db()
    assert aladdin_key.secrets_in_force() == (aladdin_key.client_secret, old)
    later = aladdin_key.previous_secret_expires_at
    assert timedelta(hours=23, minutes=59) < later - timezone.now() <= timedelta(hours=24)
    assert aladdin_key.secrets_in_force(now=later) == (aladdin_key.client_secret,)
    page = developer.get(f"/apps/{aladdin_key.pk}/secret").content.decode()
    assert "previous secret keeps working until" in page
    assert "previous secret keeps working until" in developer.get(f"/apps/{aladdin_key.pk}/").content.decode()


def test_rotate_without_a_choice_rotates_nothing(developer, aladdin_key):
    old = aladdin_key.client_secret
    response = developer.post(f"/apps/{aladdin_key.pk}/rotate-secret", {})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    aladdin_key.refresh_from_db()
    assert aladdin_key.client_secret == old


def test_new_apps_get_read_scopes_ticked_and_write_left_to_choose(developer):
    page = developer.get("/apps/new").content.decode()
    assert 'value="account:read" id="id_scopes_0" checked' in page
    assert 'value="products:read" id="id_scopes_1" checked' in page
    assert 'value="products:write" id="id_scopes_2" checked' not in page


@pytest.mark.parametrize("callback", [
    "ftp://shop.example/cb", "https://user:pw@shop.example/cb", "https://shop.example/cb#x", "not a url",
])
def test_register_refuses_a_callback_the_command_line_refuses(developer, aladdin, callback):
    response = developer.post("/apps/new", {**REGISTRATION, "callback_url": callback})
    assert response.status_code == 200 and "Enter an http:// or https:// URL" in response.content.decode()
    assert not Consumer.objects.exists()
    with pytest.raises(CommandError, match="not an http"):
        call_command("createconsumer", aladdin.username, "--name", "x", "--callback", callback)


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


def test_the_app_page_title_is_the_apps_name(developer, aladdin_key):
    page = developer.get(f"/apps/{aladdin_key.pk}/").content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == f"{aladdin_key.name} · API platform"
