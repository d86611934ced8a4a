"""OAuth 2.0's endpoints for clients: the token endpoint's grants, answers and errors (RFC 6749 §5.2's
`error` with our four keys), revocation, introspection, metadata.

Through Django's test client: real database, real cache."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts.services import account_suspend
from consumers.services import consumer_revoke, consumer_secret_rotate
from tests.factories import CALLBACK, make_consumer
from tests.oauth2.helpers import approved_tokens, client_auth

FOUR_KEYS = {"status", "message", "additional", "reference"}


def assert_oauth2_error(response, status, error, message=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert FOUR_KEYS | {"error", "error_description"} <= set(body)
    assert body["status"] == status
    assert body["error"] == error
    assert isinstance(body["error_description"], str) and body["error_description"]
    if message is not None:
        assert body["message"] == message
    assert response["Cache-Control"] == "no-store"
    return body


def test_client_credentials_act_as_the_clients_owner(token_call, app, developer, client):
    response = token_call(app, grant_type="client_credentials")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert set(body["scope"].split()) == set(app.scope_list)
    assert "refresh_token" not in body
    assert response["Cache-Control"] == "no-store"
    introspected = client.post("/oauth2/introspect", {"token": body["access_token"]}, **client_auth(app)).json()
    assert introspected["active"] is True
    assert introspected["username"] == developer.username
    assert introspected["client_id"] == app.client_key


def test_client_credentials_refuse_a_locked_owner_with_our_body(token_call, app, developer):
    account_suspend(user=developer, reason="billing")
    body = assert_oauth2_error(token_call(app, grant_type="client_credentials"), 403, "access_denied",
                               "No API Access")
    assert body["additional"] == "The authenticated account is locked due to an unpaid balance."
    assert body["reference"] == "http://testserver/billing"


def test_client_credentials_refuse_a_disabled_owner(token_call, app, developer):
    account_suspend(user=developer, reason="terms")
    body = assert_oauth2_error(token_call(app, grant_type="client_credentials"), 403, "access_denied",
                               "API Access is disabled")
    assert body["reference"] == "http://testserver/contact"


def test_client_credentials_refuse_a_deactivated_owner(token_call, app, developer):
    developer.is_active = False
    developer.save()
    assert_oauth2_error(token_call(app, grant_type="client_credentials"), 403, "invalid_client",
                        "Invalid client key")


def test_a_wrong_secret_is_invalid_client(token_call, app):
    body = assert_oauth2_error(token_call(app, secret="not the secret", grant_type="client_credentials"),
                               401, "invalid_client", "Could not authenticate:")
    assert body["additional"] == body["error_description"]
    assert body["reference"] == ""
    assert response_challenge(token_call(app, secret="x", grant_type="client_credentials")).startswith("Basic ")


def response_challenge(response):
    return response["WWW-Authenticate"]


def test_the_previous_secret_works_during_a_rotation_overlap(token_call, app, developer):
    old_secret = app.client_secret
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert token_call(app, secret=old_secret, grant_type="client_credentials").status_code == 200
    consumer_secret_rotate(consumer=app, overlap=timedelta(0))
    assert token_call(app, secret=old_secret, grant_type="client_credentials").status_code == 401


def test_a_revoked_client_is_refused_with_our_body(token_call, app):
    consumer_revoke(consumer=app)
    assert_oauth2_error(token_call(app, grant_type="client_credentials"), 403, "invalid_client",
                        "Invalid client key")


def test_an_unsupported_grant_type_is_refused(token_call, app):
    assert_oauth2_error(token_call(app, grant_type="password", username="u", password="p"), 400,
                        "unsupported_grant_type", "Bad Request")


def test_only_post(client):
    response = client.get("/oauth2/token")
    assert_oauth2_error(response, 405, "invalid_request")
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("path", ["/oauth2/token", "/oauth2/token/"])
def test_token_endpoint_answers_with_and_without_slash(client, app, path):
    response = client.post(path, {"grant_type": "client_credentials"}, **client_auth(app))
    assert response.status_code == 200


# --- Refresh tokens rotate on use --------------------------------------------------------------------


def test_a_refresh_gives_a_new_pair_and_the_old_refresh_token_is_refused(token_call, app, alice):
    first = approved_tokens(app, alice)
    response = token_call(app, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert response.status_code == 200, response.content
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert_oauth2_error(token_call(app, grant_type="refresh_token", refresh_token=first["refresh_token"]),
                        400, "invalid_grant")


def test_a_refresh_token_works_only_for_its_client(token_call, app, alice, developer):
    tokens = approved_tokens(app, alice)
    other = make_consumer(developer, callback_url=CALLBACK)
    assert_oauth2_error(token_call(other, grant_type="refresh_token", refresh_token=tokens["refresh_token"]),
                        400, "invalid_grant")


def test_a_refresh_may_narrow_the_scopes_but_not_widen_them(token_call, developer, alice):
    reader = make_consumer(developer, scopes="account:read products:read", callback_url=CALLBACK)
    tokens = approved_tokens(reader, alice, scope="products:read")
    assert_oauth2_error(token_call(reader, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                                   scope="account:read"), 400, "invalid_scope")


def test_a_refresh_token_left_unused_for_30_days_stops_working(token_call, app, alice):
    tokens = approved_tokens(app, alice)
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(days=30, seconds=1))
    assert_oauth2_error(token_call(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]),
                        400, "invalid_grant")


# --- Access tokens expire ------------------------------------------------------------------------------


def test_an_expired_access_token_is_inactive(client, app, alice):
    tokens = approved_tokens(app, alice)
    assert tokens["expires_in"] == 3600
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = client.post("/oauth2/introspect", {"token": tokens["access_token"]}, **client_auth(app))
    assert response.json() == {"active": False}


def test_the_lifetime_is_a_setting(settings, app, alice):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ACCESS_TOKEN_EXPIRE_SECONDS": 600}
    assert approved_tokens(app, alice)["expires_in"] == 600


def test_tokens_are_not_kept_readable(app, alice):
    tokens = approved_tokens(app, alice)
    access_token = get_access_token_model().objects.get()
    assert access_token.token == "" and tokens["access_token"] not in access_token.token_checksum
    refresh_token = get_refresh_token_model().objects.get()
    assert refresh_token.token == ""


# --- Revocation (RFC 7009) and introspection (RFC 7662) ----------------------------------------------


def introspect(client, app, token, **auth):
    return client.post("/oauth2/introspect", {"token": token}, **(auth or client_auth(app)))


def test_introspection_tells_the_client_about_its_own_tokens(client, app, alice):
    tokens = approved_tokens(app, alice)
    body = introspect(client, app, tokens["access_token"]).json()
    assert body["active"] is True
    assert body["username"] == "alice" and body["client_id"] == app.client_key
    assert set(body["scope"].split()) == set(app.scope_list)
    assert body["exp"] > time.time() + 3500


def test_introspection_tells_another_client_nothing(client, app, alice, developer):
    tokens = approved_tokens(app, alice)
    other = make_consumer(developer)
    assert introspect(client, other, tokens["access_token"]).json() == {"active": False}


def test_introspection_needs_client_credentials(client, app, alice):
    tokens = approved_tokens(app, alice)
    assert_oauth2_error(introspect(client, app, tokens["access_token"], **client_auth(app, "wrong")),
                        401, "invalid_client")


def test_a_token_of_a_locked_user_is_inactive(client, app, alice):
    tokens = approved_tokens(app, alice)
    account_suspend(user=alice, reason="billing")
    assert introspect(client, app, tokens["access_token"]).json() == {"active": False}


def test_revoking_the_access_token_ends_the_grant(client, token_call, app, alice):
    tokens = approved_tokens(app, alice)
    response = client.post("/oauth2/revoke_token", {"token": tokens["access_token"]}, **client_auth(app))
    assert response.status_code == 200
    assert introspect(client, app, tokens["access_token"]).json() == {"active": False}
    assert_oauth2_error(token_call(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]),
                        400, "invalid_grant")


def test_revoking_the_refresh_token_ends_the_access_token_too(client, app, alice):
    tokens = approved_tokens(app, alice)
    response = client.post("/oauth2/revoke_token", {"token": tokens["refresh_token"],
                                                    "token_type_hint": "refresh_token"}, **client_auth(app))
    assert response.status_code == 200
    assert introspect(client, app, tokens["access_token"]).json() == {"active": False}


def test_another_client_cannot_revoke_a_token(client, app, alice, developer):
    tokens = approved_tokens(app, alice)
    other = make_consumer(developer)
    response = client.post("/oauth2/revoke_token", {"token": tokens["access_token"]}, **client_auth(other))
    assert response.status_code == 200  # RFC 7009 §2.2: no telling whether the token exists
    assert introspect(client, app, tokens["access_token"]).json()["active"] is True


def test_revocation_needs_client_credentials(client, app, alice):
    tokens = approved_tokens(app, alice)
    response = client.post("/oauth2/revoke_token", {"token": tokens["access_token"]},
                           **client_auth(app, "wrong"))
    assert_oauth2_error(response, 401, "invalid_client")
    assert introspect(client, app, tokens["access_token"]).json()["active"] is True


# --- Metadata (RFC 8414) -----------------------------------------------------------------------------


def test_metadata_says_where_everything_is(client):
    response = client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == "http://testserver"
    assert metadata["authorization_endpoint"] == "http://testserver/oauth2/authorize"
    assert metadata["token_endpoint"] == "http://testserver/oauth2/token"
    assert metadata["revocation_endpoint"] == "http://testserver/oauth2/revoke_token"
    assert metadata["introspection_endpoint"] == "http://testserver/oauth2/introspect"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]
    assert set(metadata["grant_types_supported"]) == {
        "authorization_code", "refresh_token", "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"}
    assert metadata["scopes_supported"] == ["account:read", "products:read", "products:write"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}


# --- Rate limits, as at OAuth 1.0a's token endpoints -------------------------------------------------


def test_the_token_endpoint_counts_against_the_client_keys_budget(token_call, app, rates):
    rates(client_key="2/hour", account="1000/hour")
    first = token_call(app, grant_type="client_credentials")
    assert first.status_code == 200
    assert first["X-RateLimit-Limit"] == "2" and first["X-RateLimit-Remaining"] == "1"
    assert token_call(app, secret="wrong", grant_type="client_credentials").status_code == 401  # not counted
    assert token_call(app, grant_type="client_credentials").status_code == 200
    body = assert_oauth2_error(token_call(app, grant_type="client_credentials"), 429, "slow_down",
                               "Too many requests")
    assert body["additional"].startswith("Retry in ")


def test_a_request_django_cannot_read_still_gets_the_oauth2_shape(client, app, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    form = {f"field{number}": "x" for number in range(10)}
    assert_oauth2_error(client.post("/oauth2/token", form, **client_auth(app)), 400, "invalid_request")


@pytest.mark.parametrize("path", ["/oauth2/token", "/oauth2/revoke_token", "/oauth2/introspect",
                                  "/oauth2/device_authorization"])
def test_a_body_over_the_upload_limit_gets_the_oauth2_shape_at_every_client_endpoint(client, app, settings, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = assert_oauth2_error(client.post(path, {"grant_type": "client_credentials", "padding": "x" * 500},
                                           **client_auth(app)), 413, "invalid_request")
    assert "larger than 100 bytes" in body["error_description"]
