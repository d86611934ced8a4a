"""Staff and OAuth 2.0 tokens (issue 26, item 3): seen read-only, revoked only through the audited
service, never widened, extended or handed to another user; no page for authorization codes or ID
tokens. Through the admin's own pages (Django's test client, signed in as staff)."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from audit.models import AuditEvent
from tests.factories import make_user
from tests.oauth2.helpers import approved_tokens, client_auth

pytestmark = pytest.mark.django_db

TOKENS = "/admin/oauth2_provider/accesstoken/"
REFRESH_TOKENS = "/admin/oauth2_provider/refreshtoken/"


@pytest.fixture
def staff_client(db):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    client = Client()
    client.force_login(staff)
    return client


def works(client, tokens):
    return client.get("/v2", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").status_code == 200


def test_staff_see_a_token_but_cannot_widen_extend_or_hand_it_over(staff_client, client, app, alice):
    tokens = approved_tokens(app, alice, scope="products:read")
    token = get_access_token_model().objects.get()
    page = staff_client.get(f"{TOKENS}{token.pk}/change/")
    assert page.status_code == 200
    assert "products:read" in page.content.decode() and tokens["access_token"] not in page.content.decode()
    bob = make_user("bob")
    response = staff_client.post(f"{TOKENS}{token.pk}/change/", {
        "user": bob.pk, "scope": "account:read products:read products:write", "expires_0": "2099-01-01",
        "expires_1": "00:00:00", "application": app.pk})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.scope == "products:read" and token.user == alice
    body = client.post("/oauth2/introspect", {"token": tokens["access_token"]}, **client_auth(app)).json()
    assert body["active"] is True and body["username"] == "alice" and body["scope"] == "products:read"


def test_no_adding_or_deleting_and_no_page_for_codes_or_id_tokens(staff_client, app, alice):
    approved_tokens(app, alice)
    token = get_access_token_model().objects.get()
    refresh_token = get_refresh_token_model().objects.get()
    assert staff_client.get(f"{TOKENS}add/").status_code == 403
    assert staff_client.post(f"{TOKENS}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert staff_client.post(f"{REFRESH_TOKENS}{refresh_token.pk}/change/", {"revoked_0": ""}).status_code == 403
    assert staff_client.get("/admin/oauth2_provider/grant/").status_code == 404
    assert staff_client.get("/admin/oauth2_provider/idtoken/").status_code == 404


@pytest.mark.parametrize("changelist", [TOKENS, REFRESH_TOKENS])
def test_staff_revoke_a_token_and_its_grant_ends_audited(staff_client, client, app, alice, changelist):
    tokens = approved_tokens(app, alice)
    model = get_access_token_model() if changelist == TOKENS else get_refresh_token_model()
    response = staff_client.post(changelist, {"action": "revoke_tokens", "_selected_action": [model.objects.get().pk]})
    assert response.status_code == 302
    assert not works(client, tokens)
    refreshed = client.post("/oauth2/token", {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                            **client_auth(app))
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_REVOKED)
    assert event.actor.username == "staff" and event.subject == app.client_key
    assert event.detail["user"] == "alice" and event.detail["protocol"] == "oauth2"
