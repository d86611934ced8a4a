"""`Authorization: Bearer` on /v2 (RFC 6750): every refusal with the body Basic and OAuth 1.0a give for
the same case, RFC 6750's challenges beside it, client credentials acting as the owner, the
authorized-apps page's revoke, rate limits, and a warm request's one round trip.

Tokens are made the way django-oauth-toolkit issues them (`tests.factories.make_bearer_token`), sent
through Django's test client: real database, real cache.
"""
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import set_token_value
from oauthlib.common import generate_token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.services import account_restore, account_suspend
from apiv2.schemes.oauth2 import OAuth2Authentication
from consumers.services import consumer_review, consumer_revoke
from tests.factories import (
    ALICE_PASSWORD,
    basic_header,
    make_access_token,
    make_bearer_token,
    make_consumer,
    make_product,
    make_user,
)
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import approved_tokens, client_auth
from tests.redis_commands import commands_sent_to_redis

INVALID = {"status": 401, "message": "Could not authenticate:", "additional": "Invalid credentials.",
           "reference": ""}
INVALID_CLIENT_KEY = {"status": 403, "message": "Invalid client key", "additional": "", "reference": ""}
DEVELOPER_PASSWORD = "correct horse battery"  # tests.factories.make_user's default


def bearer(client, path, token):
    """GET `path` with a Bearer token (a made token, or any text)."""
    value = token if isinstance(token, str) else token.value
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {value}")


def refused(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message", "additional", "reference"} and body["status"] == status
    return body


def deactivate(user):
    user.is_active = False
    user.save()


# --- A good token ---------------------------------------------------------------------------------


def test_a_bearer_token_acts_for_its_user_with_its_scopes(client, app, alice):
    token = make_bearer_token(app, alice, scopes=["account:read", "products:read"])
    response = bearer(client, "/v2", token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["account"]["username"] == "alice"
    assert body["auth"] == {"scheme": "oauth2", "client_key": app.client_key}
    assert sorted(body["scopes"]) == ["account:read", "products:read"]
    assert "X-RateLimit-Remaining" in response


def test_a_bearer_token_sees_only_its_users_products(client, app, alice):
    mine = make_product(alice, name="Alice's")
    make_product(make_user("bob"), name="Bob's")
    body = bearer(client, "/v2/products", make_bearer_token(app, alice)).json()
    assert [product["id"] for product in body["results"]] == [mine.pk]


def test_client_credentials_act_as_the_clients_owner(client, app, developer, alice):
    owners = make_product(developer, name="Developer's")
    make_product(alice)
    token = make_bearer_token(app, None)  # client credentials: no user of its own
    body = bearer(client, "/v2/products", token).json()
    assert [product["id"] for product in body["results"]] == [owners.pk]
    assert bearer(client, "/v2", token).json()["account"]["username"] == "developer"


# --- 401: the token itself ------------------------------------------------------------------------


def assert_invalid_token(response):
    assert refused(response, 401) == INVALID
    challenges = response["WWW-Authenticate"]
    assert 'Bearer realm="api", error="invalid_token"' in challenges
    assert 'Basic realm="api"' in challenges and 'OAuth realm="api"' in challenges  # beside the others


def test_unknown_token(client, db):
    assert_invalid_token(bearer(client, "/v2/products", "no-such-token"))


@pytest.mark.parametrize("authorization", ["Bearer", "Bearer a b", "Bearer caf\u00e9", "Bearer " + "x" * 600,
                                           "bearer ===", "Bearer a=b"])
def test_malformed_bearer_header(client, db, authorization):
    assert_invalid_token(client.get("/v2/products", HTTP_AUTHORIZATION=authorization))


def test_expired_token(client, app, alice):
    token = make_bearer_token(app, alice, expires_in=2)
    assert bearer(client, "/v2/products", token).status_code == 200  # remembered while it worked
    time.sleep(max(0, (token.expires - timezone.now()).total_seconds()) + 0.1)
    assert_invalid_token(bearer(client, "/v2/products", token))


def test_a_token_whose_expiry_staff_bring_forward_stops_at_once(client, app, alice):
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    token.expires = timezone.now()
    token.save()  # as the admin does
    assert_invalid_token(bearer(client, "/v2/products", token))


def test_token_deleted_as_django_oauth_toolkit_revokes_it(client, app, alice):
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    token.revoke()
    assert_invalid_token(bearer(client, "/v2/products", token))


def test_deactivated_user_reads_like_a_bad_token_and_as_basic_answers(client, app, alice):
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    deactivate(alice)
    basic = client.get("/v2/products", HTTP_AUTHORIZATION=basic_header("alice", ALICE_PASSWORD),
                       HTTP_X_CLIENT_KEY=make_consumer(alice).client_key)
    assert_invalid_token(bearer(client, "/v2/products", token))
    assert bearer(client, "/v2/products", token).json() == refused(basic, 401)


def test_no_credentials_gets_a_bearer_challenge_without_an_error(client, db):
    """RFC 6750 §3.1: a request that sent no token is told the scheme, not an error code."""
    response = client.get("/v2")
    refused(response, 401)
    assert 'Bearer realm="api"' in response["WWW-Authenticate"]
    assert "invalid_token" not in response["WWW-Authenticate"]


# --- 403: the same bodies as Basic and OAuth 1.0a ---------------------------------------------------


@pytest.fixture
def own_tokens(app, developer):
    """The developer's own client, with an OAuth 1.0a and an OAuth 2.0 token for the developer."""
    return make_access_token(app, developer), make_bearer_token(app, developer)


CASES = {
    "locked": (lambda app, user: account_suspend(user=user, reason="billing"), 403, {
        "status": 403, "message": "No API Access",
        "additional": "The authenticated account is locked due to an unpaid balance.",
        "reference": "http://testserver/billing"}),
    "disabled": (lambda app, user: account_suspend(user=user, reason="terms"), 403, {
        "status": 403, "message": "API Access is disabled",
        "additional": "API access has been disabled for this user due to API terms violation.",
        "reference": "http://testserver/contact"}),
    "revoked client": (lambda app, user: consumer_revoke(consumer=app), 403, INVALID_CLIENT_KEY),
    "rejected client": (lambda app, user: consumer_review(consumer=app, status="rejected"), 403,
                        INVALID_CLIENT_KEY),
}


@pytest.mark.parametrize("case", CASES)
def test_refusals_have_the_same_body_with_every_scheme(client, app, developer, own_tokens, case):
    change, status, expected = CASES[case]
    oauth1_token, bearer_token = own_tokens
    assert bearer(client, "/v2/products", bearer_token).status_code == 200  # warm: remembered
    change(app, developer)
    basic = client.get("/v2/products", HTTP_AUTHORIZATION=basic_header("developer", DEVELOPER_PASSWORD),
                       HTTP_X_CLIENT_KEY=app.client_key)
    oauth1 = signed_send(client, "GET", "/v2/products", app, token=oauth1_token)
    answered = bearer(client, "/v2/products", bearer_token)
    assert refused(answered, status) == expected
    assert refused(basic, status) == expected and refused(oauth1, status) == expected
    assert "WWW-Authenticate" not in answered  # RFC 6750 names no error for these


def test_insufficient_scope_is_the_same_body_with_rfc_6750s_challenge(client, developer):
    reader = make_consumer(developer, scopes="products:read")
    oauth1 = signed_send(client, "POST", "/v2/products", reader, token=make_access_token(reader, developer),
                         params={"name": "Lamp", "price": "1.00"})
    basic = client.post("/v2/products", {"name": "Lamp", "price": "1.00"},
                        HTTP_AUTHORIZATION=basic_header("developer", DEVELOPER_PASSWORD),
                        HTTP_X_CLIENT_KEY=reader.client_key)
    answered = client.post("/v2/products", {"name": "Lamp", "price": "1.00"},
                           HTTP_AUTHORIZATION=f"Bearer {make_bearer_token(reader, developer).value}")
    expected = {"status": 403, "message": "Insufficient scope",
                "additional": "This request needs the 'products:write' scope.", "reference": ""}
    assert refused(answered, 403) == expected == refused(basic, 403) == refused(oauth1, 403)
    assert answered["WWW-Authenticate"] == 'Bearer realm="api", error="insufficient_scope", scope="products:write"'
    assert not developer.products.exists()


def test_a_disabled_owner_stops_every_token_of_the_client(client, app, developer, alice, alice_token):
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    account_suspend(user=developer, reason="terms")
    body = refused(bearer(client, "/v2/products", token), 403)
    assert body == refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 403)
    assert body["message"] == "API Access is disabled"


def test_a_locked_owner_does_not_stop_other_users_tokens(client, app, developer, alice):
    token = make_bearer_token(app, alice)
    account_suspend(user=developer, reason="billing")
    assert bearer(client, "/v2/products", token).status_code == 200


def test_a_deactivated_owner_stops_every_token_of_the_client(client, app, developer, alice, alice_token):
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    deactivate(developer)
    assert refused(bearer(client, "/v2/products", token), 403) == INVALID_CLIENT_KEY
    assert refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 403) == INVALID_CLIENT_KEY


def test_client_credentials_refuse_a_locked_owner(client, app, developer):
    token = make_bearer_token(app, None)
    assert bearer(client, "/v2/products", token).status_code == 200
    account_suspend(user=developer, reason="billing")
    assert refused(bearer(client, "/v2/products", token), 403) == CASES["locked"][2]


def test_a_client_awaiting_review_works_for_its_owner_only(client, settings, developer, alice):
    settings.CLIENT_REVIEW = True
    pending = make_consumer(developer, name="Unreviewed")
    assert bearer(client, "/v2/products", make_bearer_token(pending, developer)).status_code == 200
    assert refused(bearer(client, "/v2/products", make_bearer_token(pending, alice)), 403) == {
        "status": 403, "message": "App not yet approved",
        "additional": "This app is awaiting review and can only be used by its owner's account.", "reference": ""}


def test_a_state_change_applies_on_the_very_next_request(client, app, alice):
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    account_suspend(user=alice, reason="billing")
    assert bearer(client, "/v2/products", token).status_code == 403
    account_restore(user=alice)
    assert bearer(client, "/v2/products", token).status_code == 200


# --- Rate limits: the same budgets as the other schemes ---------------------------------------------


def test_bearer_requests_count_against_the_client_key_and_the_account(client, settings, app, alice, alice_token):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"client_key": "100/hour", "account": "3/hour"}}
    token = make_bearer_token(app, alice)
    first = bearer(client, "/v2/products", token)
    assert first.status_code == 200 and first["X-RateLimit-Limit"] == "3"
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    assert bearer(client, "/v2/products", token).status_code == 200
    response = bearer(client, "/v2/products", token)
    assert refused(response, 429)["message"] == "Too many requests"
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- The warm path ------------------------------------------------------------------------------------


def authenticate_counting(token_value):
    """(user, credentials, SQL statements, Redis round trips) of one authentication of a Bearer token."""
    request = Request(APIRequestFactory().get("/v2/products", HTTP_AUTHORIZATION=f"Bearer {token_value}"))
    with CaptureQueriesContext(connection) as queries, commands_sent_to_redis() as calls:
        user, credentials = OAuth2Authentication().authenticate(request)
    return user, credentials, [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]], calls


def test_a_warm_bearer_request_reads_its_token_and_client_in_one_round_trip(client, app, alice):
    """A token names its client, so their snapshots are read together: one round trip to authenticate
    (the rate count is the request's second), no query."""
    token = make_bearer_token(app, alice)
    assert token.value.endswith(f".{app.client_id}")
    for _ in range(2):  # cold, then the snapshots again after the last-used marks
        assert bearer(client, "/v2/products", token).status_code == 200
    user, credentials, statements, calls = authenticate_counting(token.value)
    assert user == alice and credentials.consumer == app and credentials.scheme == "oauth2"
    if django_settings.REDIS_URL:
        assert statements == [] and len(calls) == 1, (statements, calls)
    else:
        assert len(statements) == 1, statements  # token, client, users and account states in one query


def test_a_token_that_names_no_client_still_works_with_its_client_read_after_it(client, app, alice):
    """Tokens issued before tokens named their client: the token's snapshot, then its client's."""
    token = make_bearer_token(app, alice)
    token.value = generate_token()
    set_token_value(token, token.value)
    token.save()
    for _ in range(2):
        assert bearer(client, "/v2/products", token).status_code == 200
    user, _, statements, calls = authenticate_counting(token.value)
    assert user == alice
    if django_settings.REDIS_URL:
        assert statements == [] and len(calls) == 2, (statements, calls)


def test_a_token_whose_client_key_is_changed_is_unknown(client, app, alice, developer):
    """The token's digest covers the key in it: naming another client makes it another (unknown) token."""
    other = make_consumer(developer, name="Other app")
    token = make_bearer_token(app, alice)
    assert bearer(client, "/v2/products", token).status_code == 200
    forged = token.value.rpartition(".")[0] + "." + other.client_id
    assert_invalid_token(bearer(client, "/v2/products", forged))


def test_tokens_from_the_token_endpoint_name_their_client_and_refresh_tokens_do_not(app, alice):
    pair = approved_tokens(app, alice)
    assert pair["access_token"].endswith(f".{app.client_id}")
    assert "." not in pair["refresh_token"]


# --- Tokens from the real endpoints: revocation and rotation end the remembered token at once ---------


def test_a_token_revoked_at_the_rfc_7009_endpoint_is_refused_on_the_next_request(client, app, alice):
    pair = approved_tokens(app, alice)
    assert bearer(client, "/v2/products", pair["access_token"]).status_code == 200  # remembered
    response = client.post("/oauth2/revoke_token", {"token": pair["access_token"]}, **client_auth(app))
    assert response.status_code == 200, response.content
    assert_invalid_token(bearer(client, "/v2/products", pair["access_token"]))


def test_refreshing_ends_the_access_token_it_replaces(client, app, alice):
    pair = approved_tokens(app, alice)
    assert bearer(client, "/v2/products", pair["access_token"]).status_code == 200  # remembered
    response = client.post("/oauth2/token", {"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]},
                           **client_auth(app))
    assert response.status_code == 200, response.content
    assert_invalid_token(bearer(client, "/v2/products", pair["access_token"]))
    assert bearer(client, "/v2/products", response.json()["access_token"]).status_code == 200
