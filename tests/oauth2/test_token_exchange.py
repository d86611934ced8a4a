"""Migration without re-consent (RFC 8693): an OAuth 1.0a-signed token exchange at /oauth2/token turns
the client's OAuth 1.0a access token into an OAuth 2.0 token pair for the same user and scopes, and
revokes the OAuth 1.0a token in the same transaction."""
import pytest
import requests
from django.db import DatabaseError
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT
from requests_oauthlib import OAuth1

from accounts.services import account_suspend
from audit.models import AuditEvent
from consumers.oauth1.models import AccessToken
from consumers.oauth2.exchange import oauth1_access_token_exchange
from consumers.services import consumer_revoke
from tests import factories
from tests.oauth1.signing import signed_send

EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
FOUR_KEYS = {"status", "message", "additional", "reference"}


def exchange_params(token, **extra):
    return {"grant_type": EXCHANGE, "subject_token": token.key, "subject_token_type": ACCESS_TOKEN_TYPE, **extra}


def exchange(client, app, token, secure=False, **kwargs):
    params = kwargs.pop("params", None) or exchange_params(token)
    return signed_send(client, "POST", "/oauth2/token", app, token=token, params=params, secure=secure, **kwargs)


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_a_working_oauth1_token_becomes_a_working_oauth2_token_once(live_server, app, alice):
    base = live_server.url
    token = factories.make_access_token(app, alice, scopes=["account:read", "products:read"])
    oauth1 = OAuth1(app.client_key, app.client_secret, token.key, token.secret)
    assert requests.get(f"{base}/v2/products", auth=oauth1).status_code == 200

    response = requests.post(f"{base}/oauth2/token", auth=oauth1, data=exchange_params(token))
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    issued = response.json()
    assert issued["issued_token_type"] == ACCESS_TOKEN_TYPE and issued["token_type"] == "Bearer"
    assert issued["scope"] == "account:read products:read"
    assert issued["access_token"] and issued["refresh_token"] and issued["expires_in"] > 0

    introspected = requests.post(f"{base}/oauth2/introspect", data={"token": issued["access_token"]},
                                 auth=(app.client_key, app.client_secret)).json()
    assert introspected["active"] is True and introspected["username"] == "alice"
    assert introspected["client_id"] == app.client_key
    assert set(introspected["scope"].split()) == {"account:read", "products:read"}

    bearer = {"Authorization": f"Bearer {issued['access_token']}"}
    root = requests.get(f"{base}/v2", headers=bearer)
    assert root.status_code == 200, root.text
    assert root.json()["account"]["username"] == "alice" and root.json()["auth"]["scheme"] == "oauth2"
    assert sorted(root.json()["scopes"]) == ["account:read", "products:read"]
    assert requests.get(f"{base}/v2/products", headers=bearer).status_code == 200

    refused = requests.get(f"{base}/v2/products", auth=oauth1)  # one grant, not two
    assert refused.status_code == 401 and refused.json()["message"] == "Could not authenticate:"
    again = requests.post(f"{base}/oauth2/token", auth=oauth1, data=exchange_params(token))
    assert again.status_code == 401
    assert again.json()["error"] == "invalid_client" and set(again.json()) >= FOUR_KEYS

    refreshed = requests.post(f"{base}/oauth2/token", auth=(app.client_key, app.client_secret), data={
        "grant_type": "refresh_token", "refresh_token": issued["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    assert set(refreshed.json()["scope"].split()) == {"account:read", "products:read"}


@pytest.mark.django_db
class TestRefusals:
    def test_the_exchange_must_be_signed(self, client, alice_token):
        response = client.post("/oauth2/token", exchange_params(alice_token))
        assert response.status_code in (400, 401)
        assert AccessToken.objects.live().filter(pk=alice_token.pk).exists()

    def test_a_bad_signature_is_refused_and_changes_nothing(self, client, app, alice_token):
        response = exchange(client, app, alice_token, consumer_secret="wrong")
        assert response.status_code == 401
        body = response.json()
        assert body["error"] == "invalid_client" and body["message"] == "Could not authenticate:"
        assert AccessToken.objects.live().filter(pk=alice_token.pk).exists()

    def test_the_subject_token_is_the_one_that_signed(self, client, app, alice_token, alice):
        other = factories.make_access_token(app, alice)
        response = exchange(client, app, alice_token, params=exchange_params(other))
        assert response.status_code == 400 and response.json()["error"] == "invalid_request"
        assert AccessToken.objects.live().count() == 2

    def test_an_unknown_subject_token_type_is_refused(self, client, app, alice_token):
        params = exchange_params(alice_token, subject_token_type="urn:ietf:params:oauth:token-type:jwt")
        response = exchange(client, app, alice_token, params=params)
        assert response.status_code == 400 and response.json()["error"] == "invalid_request"

    def test_more_scope_than_the_token_holds_is_refused(self, client, app, alice):
        token = factories.make_access_token(app, alice, scopes=["products:read"])
        response = exchange(client, app, token, params=exchange_params(token, scope="products:write"))
        assert response.status_code == 400 and response.json()["error"] == "invalid_scope"
        assert AccessToken.objects.live().filter(pk=token.pk).exists()

    def test_fewer_scopes_may_be_asked(self, client, app, alice_token):
        response = exchange(client, app, alice_token, params=exchange_params(alice_token, scope="products:read"))
        assert response.status_code == 200 and response.json()["scope"] == "products:read"

    def test_the_exchange_is_in_the_audit_trail(self, client, app, alice_token):
        assert exchange(client, app, alice_token).status_code == 200
        event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_REVOKED)
        assert event.subject == app.client_key and event.actor is None
        assert event.detail["user"] == "alice" and event.detail["exchanged_for"] == "OAuth 2.0"

    def test_a_locked_user_gets_our_403_and_keeps_the_token(self, client, app, alice, alice_token):
        account_suspend(user=alice, reason="billing")
        response = exchange(client, app, alice_token)
        assert response.status_code == 403
        body = response.json()
        assert body["message"] == "No API Access" and body["reference"] == "http://testserver/billing"
        assert AccessToken.objects.live().filter(pk=alice_token.pk).exists()

    def test_a_revoked_client_is_refused(self, client, app, alice_token):
        consumer_revoke(consumer=app)
        assert exchange(client, app, alice_token).status_code in (401, 403)

    def test_plaintext_over_plain_http_is_refused(self, client, app, alice_token):
        response = exchange(client, app, alice_token, signature_method=SIGNATURE_PLAINTEXT)
        assert response.status_code == 400
        assert AccessToken.objects.live().filter(pk=alice_token.pk).exists()

    def test_plaintext_over_https_works(self, client, app, alice_token):
        response = exchange(client, app, alice_token, signature_method=SIGNATURE_PLAINTEXT, secure=True)
        assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_when_issuing_fails_the_oauth1_token_still_works(client, app, alice_token, monkeypatch):
    """One transaction: a failure while storing the OAuth 2.0 token leaves the OAuth 1.0a one live."""
    from oauth2_provider.oauth2_validators import OAuth2Validator

    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(OAuth2Validator, "_create_access_token", fail)
    with pytest.raises(DatabaseError):
        oauth1_access_token_exchange(access_token=alice_token, scopes=alice_token.scope_list,
                                     uri="http://testserver/oauth2/token")
    assert AccessToken.objects.live().filter(pk=alice_token.pk).exists()
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200


@pytest.mark.django_db
def test_keys_no_database_can_hold_are_bad_credentials(client):
    header = ('OAuth oauth_consumer_key="k%00", oauth_token="t%00", oauth_signature_method="HMAC-SHA1", '
              'oauth_timestamp="1", oauth_nonce="n", oauth_signature="s"')
    response = client.post("/oauth2/token", "grant_type=" + EXCHANGE.replace(":", "%3A"),
                           content_type="application/x-www-form-urlencoded", HTTP_AUTHORIZATION=header)
    assert response.status_code in (400, 401) and set(response.json()) >= FOUR_KEYS
