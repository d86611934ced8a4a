"""The credentials on a developer's app page (`/apps/<id>/`): each secret's last use (recorded by the
OAuth 1.0a verifier and by OAuth 2.0's client authentication), "expire the previous secret now", the
warning before a rotation that would end a secret still in its overlap, and who authorized the app with
its live tokens. Over HTTP with Django's test client; another developer's app is a 404."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from consumers.models import Consumer
from consumers.services import consumer_secret_rotate
from tests.factories import make_access_token, make_bearer_token, make_refresh_token, make_user
from tests.oauth1.signing import signed_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, developer):
    client.force_login(developer)
    return client


@pytest.fixture
def stranger(db):
    from django.test import Client

    other = Client()
    other.force_login(make_user("mallory"))
    return other


def api_status(client, app, token, secret):
    return signed_send(client, "GET", "/v2/products", app, token=token, consumer_secret=secret).status_code


def text_of(page, element_id):
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:dd|p|div)>', page.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def secret_uses(app):
    return Consumer.objects.values_list("client_secret_last_used", "previous_secret_last_used").get(pk=app.pk)


# --- Last use per secret ----------------------------------------------------------------------------


def test_each_secret_shows_its_own_last_use_after_a_rotation(owner, client, app, alice_token):
    assert text_of(owner.get(f"/apps/{app.pk}/"), "current-secret-use") == "last used never"
    assert api_status(client, app, alice_token, app.client_secret) == 200
    assert secret_uses(app)[0] is not None and secret_uses(app)[1] is None
    two_hours_ago = timezone.now() - timedelta(hours=2)
    Consumer.objects.filter(pk=app.pk).update(client_secret_last_used=two_hours_ago)  # as if used long ago

    old = app.client_secret
    new = consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert secret_uses(app) == (None, two_hours_ago)  # the old secret's use went with it
    page = owner.get(f"/apps/{app.pk}/")
    assert text_of(page, "current-secret-use") == "last used never since the rotation"
    assert f"last used {two_hours_ago:%Y-%m-%d %H:%M} UTC" in text_of(page, "previous-secret-use")

    # The old secret still signs, and its use is recorded as the previous secret's; then the new one's.
    assert api_status(client, app, alice_token, old) == 200
    assert secret_uses(app)[0] is None and secret_uses(app)[1] > two_hours_ago
    assert api_status(client, app, alice_token, new) == 200
    current, previous = secret_uses(app)
    assert current is not None and current >= previous
    page = owner.get(f"/apps/{app.pk}/")
    assert text_of(page, "current-secret-use") == f"last used {current:%Y-%m-%d %H:%M} UTC"
    assert f"last used {previous:%Y-%m-%d %H:%M} UTC" in text_of(page, "previous-secret-use")


def test_the_token_endpoints_record_which_secret_signed(client, app):
    old = app.client_secret
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    response = signed_send(client, "POST", "/oauth/request_token", app, callback="oob", consumer_secret=old)
    assert response.status_code == 200
    assert secret_uses(app)[0] is None and secret_uses(app)[1] is not None


def test_oauth2_client_authentication_records_which_secret_matched(token_call, app):
    old = app.client_secret
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert token_call(app, secret=old, grant_type="client_credentials").status_code == 200
    assert secret_uses(app)[0] is None and secret_uses(app)[1] is not None
    assert token_call(app, grant_type="client_credentials").status_code == 200
    assert secret_uses(app)[0] is not None


def test_a_wrong_secret_records_nothing(client, token_call, app, alice_token):
    assert api_status(client, app, alice_token, "a guess") == 401
    assert token_call(app, secret="a guess", grant_type="client_credentials").status_code == 401
    assert secret_uses(app) == (None, None)


def test_a_warm_request_does_not_write_the_mark_again(client, app, alice_token):
    assert api_status(client, app, alice_token, app.client_secret) == 200  # the mark is written
    with CaptureQueriesContext(connection) as queries:
        assert api_status(client, app, alice_token, app.client_secret) == 200
    assert not [query["sql"] for query in queries
                if query["sql"].startswith("UPDATE") and "secret_last_used" in query["sql"]]


# --- Expire the previous secret now -------------------------------------------------------------------


def test_expire_now_asks_first_then_ends_the_previous_secret_on_the_next_request(owner, client, app, alice_token):
    old = app.client_secret
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=24))
    assert api_status(client, app, alice_token, old) == 200  # cached, and in force
    page = owner.get(f"/apps/{app.pk}/")
    assert f'href="/apps/{app.pk}/expire-previous-secret"' in page.content.decode()

    confirm = owner.get(f"/apps/{app.pk}/expire-previous-secret")
    assert confirm.status_code == 200 and confirm["Cache-Control"].startswith("max-age=0")
    until = Consumer.objects.get(pk=app.pk).previous_secret_expires_at
    assert f"until {until:%Y-%m-%d %H:%M} UTC" in " ".join(re.sub(r"<[^>]+>", " ", confirm.content.decode()).split())
    assert api_status(client, app, alice_token, old) == 200  # asking changed nothing

    done = owner.post(f"/apps/{app.pk}/expire-previous-secret")
    assert done.status_code == 302 and done["Location"] == f"/apps/{app.pk}/"
    followed = owner.get(done["Location"]).content.decode()
    assert "The previous secret no longer works" in followed and 'id="previous-secret-use"' not in followed
    assert api_status(client, app, alice_token, old) == 401
    assert api_status(client, app, alice_token, app.client_secret) == 200
    event = AuditEvent.objects.filter(subject=app.client_key, action=AuditEvent.Action.CLIENT_UPDATED).get()
    assert event.detail["previous_secret_expired"] is True and old not in str(event.detail)

    again = owner.post(f"/apps/{app.pk}/expire-previous-secret", follow=True)  # a second tab: nothing to do
    assert "there was nothing to expire" in again.content.decode()
    assert AuditEvent.objects.filter(subject=app.client_key, action=AuditEvent.Action.CLIENT_UPDATED).count() == 1


def test_expire_now_without_an_overlap_changes_nothing(owner, app):
    response = owner.get(f"/apps/{app.pk}/expire-previous-secret", follow=True)
    assert "nothing to expire" in response.content.decode()
    assert 'id="expire-previous"' not in owner.get(f"/apps/{app.pk}/").content.decode()


def test_another_developers_app_is_a_404(stranger, app, alice_token):
    old = app.client_secret
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert stranger.get(f"/apps/{app.pk}/").status_code == 404
    assert stranger.get(f"/apps/{app.pk}/expire-previous-secret").status_code == 404
    assert stranger.post(f"/apps/{app.pk}/expire-previous-secret").status_code == 404
    assert stranger.get(f"/apps/{app.pk}/rotate-secret").status_code == 404
    assert Consumer.objects.get(pk=app.pk).secrets_in_force()[1] == old


def test_expire_now_needs_a_signed_in_owner_and_a_csrf_token(client, developer, app):
    from django.test import Client

    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert client.post(f"/apps/{app.pk}/expire-previous-secret").status_code == 302  # to sign in
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(developer)
    assert checked.post(f"/apps/{app.pk}/expire-previous-secret").status_code == 403
    assert len(Consumer.objects.get(pk=app.pk).secrets_in_force()) == 2


# --- The warning before a rotation that would end a secret in its overlap -------------------------------


def test_the_rotate_page_warns_when_a_secret_in_its_overlap_would_end(owner, app):
    assert 'id="overlap-ends"' not in owner.get(f"/apps/{app.pk}/rotate-secret").content.decode()
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=24))
    until = Consumer.objects.get(pk=app.pk).previous_secret_expires_at
    warning = text_of(owner.get(f"/apps/{app.pk}/rotate-secret"), "overlap-ends")
    assert warning.startswith("The previous secret stops working now.")
    assert f"would have worked until {until:%Y-%m-%d %H:%M} UTC" in warning


def test_no_warning_once_the_overlap_has_ended(owner, app):
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    Consumer.objects.filter(pk=app.pk).update(previous_secret_expires_at=timezone.now() - timedelta(seconds=1))
    assert 'id="overlap-ends"' not in owner.get(f"/apps/{app.pk}/rotate-secret").content.decode()


# --- Who authorized the app, and its live tokens ------------------------------------------------------------


def token_rows(page):
    table = re.search(r'<table class="stack" id="live-tokens">.*?</table>', page.content.decode(), re.S).group(0)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows


def test_the_page_counts_people_and_live_tokens_by_protocol_grant_type_and_scopes(owner, app, alice, developer):
    assert text_of(owner.get(f"/apps/{app.pk}/"), "authorized-users").startswith("Nobody has authorized")
    bob, carol = make_user("bob"), make_user("carol")
    make_access_token(app, alice, scopes=["products:read"])
    make_access_token(app, bob, scopes=["products:read"])
    revoked = make_access_token(app, carol, scopes=["products:read"])
    revoked.revoked_at = timezone.now()
    revoked.save()
    make_refresh_token(make_bearer_token(app, bob, scopes=["account:read"]))  # no code's family: device or exchange
    make_bearer_token(app, None, scopes=["products:write"])  # client credentials: the developer's own
    make_bearer_token(app, carol, scopes=["account:read"], expires_in=-60)  # expired

    page = owner.get(f"/apps/{app.pk}/")
    assert text_of(page, "authorized-users") == "2 people have authorized this app and not revoked it."
    assert token_rows(page) == [
        ["OAuth 1.0a", "—", "Read your products ( products:read )", "2", "—"],
        ["OAuth 2.0", "client credentials", "Create, change and delete your products ( products:write )", "1", "0"],
        ["OAuth 2.0", "device code or token exchange", "See your account name and API status ( account:read )",
         "1", "1"],
    ]


def test_tokens_from_an_authorization_code_are_named_so(owner, app, alice):
    from tests.oauth2.helpers import approved_tokens

    approved_tokens(app, alice, scope="products:read")
    rows = token_rows(owner.get(f"/apps/{app.pk}/"))
    assert rows == [["OAuth 2.0", "authorization code", "Read your products ( products:read )", "1", "1"]]
    assert text_of(owner.get(f"/apps/{app.pk}/"), "authorized-users").startswith("1 person has")
