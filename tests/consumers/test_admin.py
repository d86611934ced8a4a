"""Staff manage clients in the admin, as a staff member in a browser would (the admin's forms and
actions over HTTP): find, add (secret shown once), edit, rotate, revoke, reinstate, review. Every
change lands in the audit trail with the staff member and address, and the API follows at once."""
import re
from urllib.parse import parse_qs

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.services import account_suspend
from audit.models import AuditEvent
from consumers.models import Consumer, ReviewStatus
from consumers.oauth1.models import AccessToken
from tests.factories import (
    basic_header,
    make_access_token,
    make_bearer_token,
    make_consumer,
    make_refresh_token,
    make_user,
)
from tests.oauth1.signing import signed_send
from tests.servers import gunicorn_server

URL = "/admin/consumers/consumer/"
SECRETS = URL + "secrets/"
STAFF_IP = "203.0.113.7"
CALLBACK = "https://printer.example.com/oauth/ready"
Action = AuditEvent.Action


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")


@pytest.fixture
def staff_client(staff):
    client = Client(REMOTE_ADDR=STAFF_IP)
    client.force_login(staff)
    return client


def act(staff_client, action, *consumers, **extra):
    """Choose the action and say yes on its intermediate page (`apply`), as staff do."""
    response = staff_client.post(URL, {"action": action, "_selected_action": [c.pk for c in consumers],
                                       "apply": "1", **extra})
    assert response.status_code == 302, response.content[:800]
    return response


def basic(client_key, username="Aladdin", password="open sesame"):
    return Client().get("/v2", HTTP_AUTHORIZATION=basic_header(username, password), HTTP_X_CLIENT_KEY=client_key)


def audited(action, staff, consumer):
    """The one event of `action` about `consumer`, by `staff`, from the staff member's address."""
    (event,) = AuditEvent.objects.filter(action=action, subject=consumer.client_key)
    assert (event.actor, event.actor_ip) == (staff, STAFF_IP)
    assert event.created is not None
    return event


# --- Finding ----------------------------------------------------------------------------------------


def test_search_by_key_finds_the_client_and_its_owner(staff_client, aladdin_key):
    page = staff_client.get(URL, {"q": aladdin_key.client_key}).content.decode()
    assert aladdin_key.client_key in page and "Aladdin" in page
    assert aladdin_key.client_secret not in page


def test_change_page_never_shows_the_secret(staff_client, aladdin_key):
    page = staff_client.get(f"{URL}{aladdin_key.pk}/change/").content.decode()
    assert aladdin_key.client_key in page
    assert aladdin_key.client_secret not in page


def test_change_page_shows_usage_at_a_glance(staff_client, aladdin, aladdin_key, staff):
    alice = make_user("alice")
    make_access_token(aladdin_key, alice)
    revoked = make_access_token(aladdin_key, make_user("bob"))
    revoked.revoked_at = revoked.created
    revoked.save()
    account_suspend(user=aladdin, reason="billing")
    assert basic(aladdin_key.client_key).status_code == 403  # used once: a last use to show
    page = staff_client.get(f"{URL}{aladdin_key.pk}/change/").content.decode()
    assert "1 active, 1 revoked" in page
    tokens = staff_client.get("/admin/consumers/accesstoken/", {"consumer__id__exact": aladdin_key.pk})
    assert tokens.status_code == 200 and "alice" in tokens.content.decode() and "bob" in tokens.content.decode()
    assert "Aladdin</a>: locked" in page
    assert f"/admin/audit/auditevent/?subject={aladdin_key.client_key}" in page
    events = staff_client.get("/admin/audit/auditevent/", {"subject": aladdin_key.client_key}).content.decode()
    assert "Client registered" in events


# --- Adding a client for a customer: the secret once, on a GET page after the redirect ---------------


def add(staff_client, owner, **fields):
    return staff_client.post(URL + "add/", {
        "user": owner.pk, "name": "Till integration", "scopes": ["products:read", "account:read"],
        "callback_url": CALLBACK, "description": "", "website": "", **fields,
    })


def test_add_registers_for_the_owner_and_shows_the_secret_once(staff_client, staff, aladdin):
    form = staff_client.get(URL + "add/").content.decode()
    assert 'name="user"' in form and 'value="products:write"' in form and 'name="callback_url"' in form
    response = add(staff_client, aladdin)
    assert response.status_code == 302 and response["Location"] == SECRETS
    consumer = Consumer.objects.get(name="Till integration")
    assert (consumer.user, consumer.scope_list, consumer.callback_url) == (
        aladdin, ["account:read", "products:read"], CALLBACK)
    assert consumer.client_secret not in response["Location"]

    shown = staff_client.get(SECRETS)
    page = shown.content.decode()
    assert consumer.client_key in page and consumer.client_secret in page
    assert "no-store" in shown["Cache-Control"]
    reloaded = staff_client.get(SECRETS).content.decode()
    assert consumer.client_secret not in reloaded and "No secret to show" in reloaded

    assert basic(consumer.client_key).status_code == 200  # the owner's key works at once
    event = audited(Action.CLIENT_REGISTERED, staff, consumer)
    assert event.detail["owner"] == "Aladdin" and consumer.client_secret not in str(event.detail)


def test_the_waiting_secret_is_sealed_in_the_session(staff_client, aladdin):
    add(staff_client, aladdin)
    consumer = Consumer.objects.get(name="Till integration")
    stored = [session.get_decoded() for session in Session.objects.all()]
    assert stored and consumer.client_secret not in str(stored)


def test_add_needs_a_scope_and_an_owner(staff_client, aladdin):
    response = add(staff_client, aladdin, scopes=[])
    assert response.status_code == 200 and "Choose at least one scope." in response.content.decode()
    response = add(staff_client, aladdin, user="")
    assert response.status_code == 200
    assert not Consumer.objects.exists() and not AuditEvent.objects.exists()


def test_a_client_staff_add_is_not_held_for_review(staff_client, aladdin, settings):
    settings.CLIENT_REVIEW = True
    add(staff_client, aladdin)
    assert Consumer.objects.get(name="Till integration").review_status == ReviewStatus.APPROVED


def test_editing_goes_through_the_service_and_is_audited(staff_client, staff, aladdin_key):
    response = staff_client.post(f"{URL}{aladdin_key.pk}/change/", {
        "name": "Renamed", "callback_url": CALLBACK, "description": "", "website": "",
    })
    assert response.status_code == 302
    aladdin_key.refresh_from_db()
    assert (aladdin_key.name, aladdin_key.callback_url) == ("Renamed", CALLBACK)
    assert audited(Action.CLIENT_UPDATED, staff, aladdin_key).detail["callback_url"] == CALLBACK


# --- Actions: rotate, revoke, reinstate ----------------------------------------------------------------


def test_rotate_asks_first_with_the_overlap_choice(staff_client, aladdin_key):
    old = aladdin_key.client_secret
    asked = staff_client.post(URL, {"action": "rotate_client_secrets", "_selected_action": [aladdin_key.pk]})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "keeps working for 1 hour" in page and "stops working now" in page
    assert Consumer.objects.get(pk=aladdin_key.pk).client_secret == old  # nothing rotated yet


def test_rotate_with_an_overlap_keeps_the_old_secret_working_for_a_while(staff_client, client, aladdin_key):
    response = act(staff_client, "rotate_client_secrets", aladdin_key, apply="1", overlap="1h")
    assert response["Location"] == SECRETS
    rotated = Consumer.objects.get(pk=aladdin_key.pk)
    assert signed_send(client, "POST", "/oauth/request_token", aladdin_key, callback="oob").status_code == 200
    assert signed_send(client, "POST", "/oauth/request_token", rotated, callback="oob").status_code == 200


def test_rotate_shows_the_new_secret_once_and_the_old_one_stops(staff_client, staff, client, aladdin_key):
    old = aladdin_key.client_secret
    response = act(staff_client, "rotate_client_secrets", aladdin_key, apply="1", overlap="0")
    assert response["Location"] == SECRETS
    rotated = Consumer.objects.get(pk=aladdin_key.pk)
    assert rotated.client_secret != old
    page = staff_client.get(SECRETS).content.decode()
    assert rotated.client_secret in page and old not in page
    assert rotated.client_secret not in staff_client.get(SECRETS).content.decode()

    refused = signed_send(client, "POST", "/oauth/request_token", aladdin_key, callback="oob")
    assert refused.status_code == 401  # signed with the old secret
    accepted = signed_send(client, "POST", "/oauth/request_token", rotated, callback="oob")
    assert accepted.status_code == 200
    audited(Action.CLIENT_SECRET_ROTATED, staff, aladdin_key)


def test_revoke_action_stops_the_key(staff_client, aladdin_key, aladdin, password):
    response = staff_client.post(URL, {
        "action": "revoke_clients", "_selected_action": [aladdin_key.pk], "apply": "1",
    })
    assert response.status_code == 302
    assert not Consumer.objects.get(pk=aladdin_key.pk).is_active
    api = Client()
    refused = api.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                      HTTP_X_CLIENT_KEY=aladdin_key.client_key)
    assert refused.status_code == 403 and refused.json()["message"] == "Invalid client key"


def test_reinstate_after_revoke_brings_the_key_back_but_not_its_tokens(staff_client, staff, client, aladdin_key):
    alice = make_user("alice")
    alices_token = make_access_token(aladdin_key, alice)
    assert basic(aladdin_key.client_key).status_code == 200
    assert signed_send(client, "GET", "/v2/products", aladdin_key, token=alices_token).status_code == 200

    act(staff_client, "revoke_clients", aladdin_key)
    assert basic(aladdin_key.client_key).json()["message"] == "Invalid client key"
    act(staff_client, "reinstate_clients", aladdin_key)
    assert basic(aladdin_key.client_key).status_code == 200
    stale = signed_send(client, "GET", "/v2/products", aladdin_key, token=alices_token)
    assert stale.status_code == 401 and stale.json()["message"] == "Could not authenticate:"
    assert AccessToken.objects.get(pk=alices_token.pk).revoked_at is not None

    audited(Action.CLIENT_REVOKED, staff, aladdin_key)
    audited(Action.CLIENT_REINSTATED, staff, aladdin_key)


def test_actions_are_all_or_nothing_and_counted(staff_client, aladdin):
    first, second = make_consumer(aladdin), make_consumer(aladdin)
    response = act(staff_client, "revoke_clients", first, second)
    assert "2 clients revoked." in [m.message for m in response.wsgi_request._messages]
    assert not Consumer.objects.active().exists()


def test_clients_are_revoked_not_deleted(staff_client, aladdin_key):
    assert staff_client.get(f"{URL}{aladdin_key.pk}/delete/").status_code == 403
    assert "delete_selected" not in staff_client.get(URL).content.decode()
    assert Consumer.objects.filter(pk=aladdin_key.pk).exists()


# --- Review of public apps (CLIENT_REVIEW) ---------------------------------------------------------------


@pytest.fixture
def review(settings):
    settings.CLIENT_REVIEW = True


@pytest.fixture
def pending_app(review, aladdin):
    """Registered by its developer on /apps/ while review is on."""
    developer = Client()
    developer.force_login(aladdin)
    developer.post("/apps/new", {"name": "Printer", "scopes": ["products:read", "account:read"],
                                 "callback_url": CALLBACK})
    return Consumer.objects.get(name="Printer")


def authorize_page(user, app, client):
    """What `user` sees on the authorize page for a request token `app` got from the real endpoint."""
    issued = signed_send(client, "POST", "/oauth/request_token", app, callback="oob")
    assert issued.status_code == 200, issued.content
    token = parse_qs(issued.content.decode())["oauth_token"][0]
    browser = Client()
    browser.force_login(user)
    return browser.get("/oauth/authorize", {"oauth_token": token})


def review_action(staff_client, action, app, note):
    """Choose the action: the admin asks for the note; send it."""
    asked = staff_client.post(URL, {"action": action, "_selected_action": [app.pk]})
    assert asked.status_code == 200 and 'name="note"' in asked.content.decode()
    return act(staff_client, action, app, apply="1", note=note)


def test_pending_until_staff_accept_then_every_user_may_authorize(pending_app, staff_client, staff, client,
                                                                   aladdin):
    assert pending_app.review_status == ReviewStatus.PENDING
    alice = make_user("alice")
    developer = Client()
    developer.force_login(aladdin)
    assert "awaiting review" in developer.get("/apps/").content.decode()

    # The owner: Basic, and the owner's own authorization, throughout.
    assert basic(pending_app.client_key).status_code == 200
    assert authorize_page(aladdin, pending_app, client).status_code == 200
    # Anyone else: the authorize page says the app awaits review.
    refused = authorize_page(alice, pending_app, client)
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "App not yet approved" in text and "This app is awaiting review" in text and 'value="authorize"' not in text
    unlisted = staff_client.get(URL, {"review_status__exact": "approved"}).content.decode()
    assert pending_app.client_key not in unlisted
    assert pending_app.client_key in staff_client.get(URL, {"review_status__exact": "pending"}).content.decode()

    review_action(staff_client, "accept_clients", pending_app, "Looks good.")
    assert authorize_page(alice, pending_app, client).status_code == 200
    assert authorize_page(aladdin, pending_app, client).status_code == 200
    detail = developer.get(f"/apps/{pending_app.pk}/").content.decode()
    assert "Looks good." in detail and "awaiting review" not in developer.get("/apps/").content.decode()
    event = audited(Action.CLIENT_REVIEWED, staff, pending_app)
    assert event.detail["review_status"] == "approved" and event.detail["note"] == "Looks good."


def test_a_pending_app_used_for_another_user_is_403_app_not_yet_approved(pending_app, client, aladdin):
    alice = make_user("alice")
    alices_token = make_access_token(pending_app, alice)  # as if authorized before review mattered
    response = signed_send(client, "GET", "/v2/products", pending_app, token=alices_token)
    assert response.status_code == 403
    assert response.json() == {"status": 403, "message": "App not yet approved",
                               "additional": "This app is awaiting review and can only be used by its "
                                             "owner's account.", "reference": ""}
    owners_token = make_access_token(pending_app, aladdin)
    assert signed_send(client, "GET", "/v2/products", pending_app, token=owners_token).status_code == 200


def test_rejected_is_revoked(pending_app, staff_client, staff, client, aladdin):
    owners_token = make_access_token(pending_app, aladdin)
    review_action(staff_client, "reject_clients", pending_app, "Please describe what the app does.")
    assert basic(pending_app.client_key).json()["message"] == "Invalid client key"
    oauth = signed_send(client, "GET", "/v2/products", pending_app, token=owners_token)
    assert oauth.status_code == 403 and oauth.json()["message"] == "Invalid client key"
    tokens = signed_send(client, "POST", "/oauth/request_token", pending_app, callback="oob")
    assert tokens.status_code == 403 and tokens.json()["message"] == "Invalid client key"
    developer = Client()
    developer.force_login(aladdin)
    assert "rejected" in developer.get("/apps/").content.decode()
    assert "Please describe what the app does." in developer.get(f"/apps/{pending_app.pk}/").content.decode()
    audited(Action.CLIENT_REVIEWED, staff, pending_app)


def test_review_off_new_apps_are_approved_at_once(aladdin, client):
    app = make_consumer(aladdin, callback_url=CALLBACK)
    assert app.review_status == ReviewStatus.APPROVED
    assert authorize_page(make_user("alice"), app, client).status_code == 200


# --- On every worker, on the next request -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_admin_changes_apply_on_every_worker_at_once(staff_client, password):
    """Several gunicorn workers, each with its own connection and remembered snapshots: after each
    admin action, none may answer from the client's previous state."""
    owner = make_user("Aladdin", password=password)
    app = make_consumer(owner)
    headers = {"Authorization": basic_header("Aladdin", password), "X-Client-Key": app.client_key}
    with gunicorn_server(workers=3) as base_url, requests.Session() as http:
        def statuses():
            return {http.get(f"{base_url}/v2", headers=headers).status_code for _ in range(12)}

        assert statuses() == {200}
        act(staff_client, "revoke_clients", app)
        assert statuses() == {403}
        act(staff_client, "reinstate_clients", app)
        assert statuses() == {200}
        review_action(staff_client, "reject_clients", app, "")
        assert statuses() == {403}
        review_action(staff_client, "accept_clients", app, "")
        assert statuses() == {200}


# --- Asking first, saying it right ----------------------------------------------------------------------


def messages_of(response):
    return [m.message for m in response.wsgi_request._messages]


def test_revoke_asks_first_listing_the_apps(staff_client, aladdin_key):
    other = make_consumer(make_user("bob"), name="Bob's tool")
    asked = staff_client.post(URL, {"action": "revoke_clients", "_selected_action": [aladdin_key.pk, other.pk]})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert f"{aladdin_key.name} ({aladdin_key.client_key}), by Aladdin: approved" in page
    assert f"Bob&#x27;s tool ({other.client_key}), by bob: approved" in page
    assert 'value="Revoke"' in page and "No, take me back" in page
    assert Consumer.objects.active().count() == 2  # nothing revoked yet
    assert not AuditEvent.objects.filter(action=Action.CLIENT_REVOKED).exists()

    done = act(staff_client, "revoke_clients", aladdin_key, other)
    assert messages_of(done) == ["2 clients revoked."]
    assert not Consumer.objects.active().exists()


@pytest.mark.parametrize("count, message", [(1, "1 client rejected."), (2, "2 clients rejected.")])
def test_review_messages_say_it_in_plain_english(staff_client, aladdin, count, message):
    apps = [make_consumer(aladdin) for _ in range(count)]
    assert messages_of(act(staff_client, "reject_clients", *apps, note="")) == [message]


def test_nothing_to_rotate_says_so(staff_client, aladdin_key):
    act(staff_client, "revoke_clients", aladdin_key)
    response = act(staff_client, "rotate_client_secrets", aladdin_key, overlap="1h")
    assert messages_of(response)[-1] == "No secrets rotated."


@pytest.mark.parametrize("overlap, hours", [("1h", 1), ("24h", 24)])
def test_the_secrets_page_says_until_when_the_old_secret_works(staff_client, aladdin_key, overlap, hours):
    act(staff_client, "rotate_client_secrets", aladdin_key, overlap=overlap)
    rotated = Consumer.objects.get(pk=aladdin_key.pk)
    page = staff_client.get(SECRETS).content.decode()
    until = rotated.previous_secret_expires_at.strftime("%Y-%m-%d %H:%M UTC")
    assert (f"The previous secret keeps working until {until} (about {hours} hour{'s' if hours > 1 else ''} "
            "from now).") in page
    assert "stopped working" not in page


def test_the_secrets_page_says_the_old_secret_stopped_when_it_did(staff_client, aladdin_key, aladdin):
    act(staff_client, "rotate_client_secrets", aladdin_key, overlap="0")
    page = staff_client.get(SECRETS).content.decode()
    assert "The previous secret stopped working now." in page and "keeps working" not in page
    add(staff_client, aladdin)  # a new client has no previous secret to speak of
    page = staff_client.get(SECRETS).content.decode()
    assert "previous secret" not in page


def test_the_secrets_page_has_copy_buttons_from_a_static_script(staff_client, aladdin_key):
    act(staff_client, "rotate_client_secrets", aladdin_key, overlap="0")
    page = staff_client.get(SECRETS).content.decode()
    assert f'data-copy="client-secret-{aladdin_key.pk}"' in page and f'id="client-secret-{aladdin_key.pk}"' in page
    assert '<script src="/static/copy.js"' in page and "<script>" not in page


def test_usage_counts_oauth2_tokens_too(staff_client, aladdin_key):
    alice = make_user("alice")
    live = make_bearer_token(aladdin_key, alice)
    make_bearer_token(aladdin_key, make_user("bob"), expires_in=-60)
    make_refresh_token(live)
    make_access_token(aladdin_key, alice)
    page = staff_client.get(f"{URL}{aladdin_key.pk}/change/").content.decode()
    assert "OAuth 1.0a: " in page and ">1 active, 0 revoked</a>" in page
    assert ">1 live, 1 expired access tokens</a>" in page
    assert ">1 active, 0 revoked refresh token</a>" in page
    tokens = staff_client.get("/admin/oauth2_provider/accesstoken/", {"application__id__exact": aladdin_key.pk})
    assert tokens.status_code == 200 and "alice" in tokens.content.decode() and "bob" in tokens.content.decode()
    refresh = staff_client.get("/admin/oauth2_provider/refreshtoken/", {"application__id__exact": aladdin_key.pk})
    assert refresh.status_code == 200 and "alice" in refresh.content.decode()


def test_the_client_list_keeps_to_what_staff_scan(staff_client, aladdin_key):
    page = staff_client.get(URL).content.decode()
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert headers == ["app", "user", "review_status", "is_active", "last_used"]
    assert f'<code class="client-key">{aladdin_key.client_key}</code>' in page


def test_admin_dates_read_as_on_every_other_page(staff_client, aladdin_key):
    page = staff_client.get(f"{URL}{aladdin_key.pk}/change/").content.decode()
    created = aladdin_key.created.strftime("%Y-%m-%d %H:%M UTC")
    assert f'<div class="readonly">{created}</div>' in page
