"""Every refusal of a signed request, with the JSON body the contract promises.

Signed by oauthlib's client, sent through Django's test client: real database, real cache.
"""
import time

import pytest
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT, SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY

from accounts.services import account_suspend
from consumers.oauth1.models import AccessToken
from consumers.oauth1.services import access_token_revoke
from consumers.services import consumer_revoke
from tests.factories import CALLBACK, make_consumer, make_request_token, make_user
from tests.oauth1.signing import send, sign, signed_send

INVALID = {"status": 401, "message": "Could not authenticate:",
           "additional": "Invalid OAuth signature or credentials.", "reference": ""}


def refused(response, status, message, additional=None):
    """The response is the contract's error body; returns it for further checks."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message", "additional", "reference"}
    assert body["status"] == status and body["message"] == message
    if additional is not None:
        assert body["additional"] == additional
    if status == 401:
        assert 'OAuth realm="api"' in response["WWW-Authenticate"]
    return body


# --- Signed API requests ------------------------------------------------------------------------


def test_a_good_signature_is_accepted(client, app, alice, alice_token):
    response = signed_send(client, "GET", "/v2", app, token=alice_token)
    assert response.status_code == 200, response.content
    assert response.json()["account"]["username"] == "alice"
    assert response.json()["auth"] == {"scheme": "oauth1", "client_key": app.client_key}


def test_replayed_nonce(client, app, alice_token):
    signed = sign("GET", "/v2/products", app, token=alice_token)
    assert send(client, "GET", signed).status_code == 200
    refused(send(client, "GET", signed), 401, "Could not authenticate:", "This nonce was already used.")


@pytest.mark.parametrize("skew", [-601, 630])  # a future stamp nears the window as the test runs
def test_stale_or_future_timestamp(client, app, alice_token, skew):
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token,
                           timestamp=str(int(time.time()) + skew))
    refused(response, 401, "Could not authenticate:",
            "The timestamp is more than 10 minutes away from the server's clock.")


def test_tampered_method(client, app, alice_token):
    signed = sign("POST", "/v2/products", app, token=alice_token)
    refused(send(client, "GET", signed), 401, "Could not authenticate:", INVALID["additional"])


def test_tampered_path(client, app, alice_token):
    uri, headers, body = sign("GET", "/v2", app, token=alice_token)
    refused(send(client, "GET", (uri.replace("/v2", "/v2/products"), headers, body)), 401,
            "Could not authenticate:", INVALID["additional"])


def test_tampered_query_parameter(client, app, alice_token):
    uri, headers, body = sign("GET", "/v2/products?page=1", app, token=alice_token)
    refused(send(client, "GET", (uri.replace("page=1", "page=2"), headers, body)), 401,
            "Could not authenticate:", INVALID["additional"])


def test_tampered_body_parameter(client, app, alice_token):
    uri, headers, body = sign("POST", "/v2/products", app, token=alice_token,
                              params={"name": "Lamp", "price": "10.00"})
    response = send(client, "POST", (uri, headers, body.replace("10.00", "0.01")))
    refused(response, 401, "Could not authenticate:", INVALID["additional"])
    assert not alice_token.user.products.exists()


def test_tampered_body_parameter_in_a_body_signature(client, app, alice_token):
    uri, headers, body = sign("POST", "/v2/products", app, token=alice_token, params={"name": "Lamp"},
                              signature_type=SIGNATURE_TYPE_BODY)
    refused(send(client, "POST", (uri, headers, body.replace("Lamp", "Bomb"))), 401,
            "Could not authenticate:", INVALID["additional"])


def test_wrong_consumer_secret(client, app, alice_token):
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token, consumer_secret="x" * 43)
    assert refused(response, 401, "Could not authenticate:") == INVALID


def test_wrong_token_secret(client, app, alice_token):
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token, token_secret="y" * 40)
    assert refused(response, 401, "Could not authenticate:") == INVALID


def test_unknown_consumer_and_unknown_token_get_the_same_answer(client, app, alice_token, developer):
    stranger = make_consumer(developer)
    stranger_key = stranger.client_key
    stranger.delete()
    stranger.client_id = stranger_key
    unknown_consumer = signed_send(client, "GET", "/v2/products", stranger, token=alice_token)
    alice_token.key = "k" * 40
    unknown_token = signed_send(client, "GET", "/v2/products", app, token=alice_token)
    assert refused(unknown_consumer, 401, "Could not authenticate:") == INVALID
    assert refused(unknown_token, 401, "Could not authenticate:") == INVALID


def test_request_token_used_on_the_api(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    response = signed_send(client, "GET", "/v2/products", app, token=request_token)
    assert refused(response, 401, "Could not authenticate:") == INVALID


def test_consumer_signature_without_a_token_is_not_enough_for_the_api(client, app):
    response = signed_send(client, "GET", "/v2/products", app)
    refused(response, 401, "Could not authenticate:",
            "API requests must be signed with an access token (oauth_token).")


def test_plaintext_over_plain_http_when_not_debug(client, app, alice_token):
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token,
                           signature_method=SIGNATURE_PLAINTEXT)
    refused(response, 400, "Bad Request", "The PLAINTEXT signature method is accepted only over HTTPS.")


def test_plaintext_over_https_is_accepted(client, app, alice_token):
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token,
                           signature_method=SIGNATURE_PLAINTEXT, secure=True)
    assert response.status_code == 200, response.content


def test_plaintext_over_plain_http_in_debug_is_accepted(client, app, alice_token, settings):
    settings.DEBUG = True
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token,
                           signature_method=SIGNATURE_PLAINTEXT)
    assert response.status_code == 200, response.content


def test_forwarded_proto_counts_only_when_trusted(client, app, alice_token, settings):
    """Behind a TLS-terminating proxy, TRUST_X_FORWARDED_PROTO (SECURE_PROXY_SSL_HEADER) decides."""
    def plaintext_via_proxy():
        signed = sign("GET", "/v2/products", app, token=alice_token, signature_method=SIGNATURE_PLAINTEXT)
        return send(client, "GET", signed, HTTP_X_FORWARDED_PROTO="https")

    refused(plaintext_via_proxy(), 400, "Bad Request")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert plaintext_via_proxy().status_code == 200


def test_unsupported_signature_method_is_400(client, app, alice_token):
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token,
                           signature_method="HMAC-SHA256")
    body = refused(response, 400, "Bad Request")
    assert "HMAC-SHA256" in body["additional"]


def test_malformed_parameters_are_400_not_500(client, app, alice_token):
    uri, headers, body = sign("GET", "/v2/products", app, token=alice_token)
    response = send(client, "GET", (uri + "?bad=%zz", headers, body))
    refused(response, 400, "Bad Request")


def test_parameters_in_two_places_are_400(client, app, alice_token):
    uri, headers, body = sign("GET", "/v2/products", app, token=alice_token)
    response = send(client, "GET", (uri + "?oauth_nonce=again", headers, body))
    refused(response, 400, "Bad Request")


def test_signed_in_the_query_string(client, app, alice_token):
    response = signed_send(client, "GET", "/v2/products?page=1", app, token=alice_token,
                           signature_type=SIGNATURE_TYPE_QUERY)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("nonce", ["a1b2c3d4", "0123456789abcdef0123456789abcdef",
                                   "Qx7-Lp_2.z~9" * 3 + "abcdef", "n" * 64,
                                   "7", "31415", "short", "n" * 255])
def test_nonces_real_clients_send_are_accepted(client, app, alice_token, nonce):
    """RFC 5849 sets no length: PyPI `oauth2` sends 5-8 digits."""
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token, nonce=nonce)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("nonce", ["n" * 256, "not/unreserved", "caf\u00e9"])
@pytest.mark.parametrize("path", ["/v2/products", "/oauth/request_token"])
def test_nonces_outside_1_to_255_unreserved_characters_are_400(client, app, alice_token, nonce, path):
    token = alice_token if path.startswith("/v2") else None
    response = signed_send(client, "POST" if token is None else "GET", path, app, token=token, nonce=nonce,
                           callback=None if token else "oob")
    refused(response, 400, "Bad Request",
            "Invalid nonce format: oauth_nonce must be 1 to 255 letters, digits or -._~ characters.")


# --- State: who and what is behind the token ------------------------------------------------------


def test_locked_token_user(client, app, alice, alice_token):
    account_suspend(user=alice, reason="billing")
    body = refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 403,
                   "No API Access", "The authenticated account is locked due to an unpaid balance.")
    assert body["reference"] == "http://testserver/billing"


def test_disabled_token_user(client, app, alice, alice_token):
    account_suspend(user=alice, reason="terms")
    body = refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 403,
                   "API Access is disabled",
                   "API access has been disabled for this user due to API terms violation.")
    assert body["reference"] == "http://testserver/contact"


def test_revoked_consumer(client, app, alice_token):
    consumer_revoke(consumer=app)
    refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 403, "Invalid client key")


def test_disabled_consumer_owner_stops_every_token(client, app, developer, alice_token):
    account_suspend(user=developer, reason="terms")
    refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 403,
            "API Access is disabled")


def test_locked_consumer_owner_does_not_stop_other_users_tokens(client, app, developer, alice_token):
    account_suspend(user=developer, reason="billing")
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200


def test_revoked_access_token(client, app, alice_token):
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    access_token_revoke(access_token=alice_token)
    assert refused(signed_send(client, "GET", "/v2/products", app, token=alice_token), 401,
                   "Could not authenticate:") == INVALID


def test_token_scopes_are_enforced(client, app, alice):
    from tests.factories import make_access_token

    read_only = make_access_token(app, alice, scopes=["products:read"])
    assert signed_send(client, "GET", "/v2/products", app, token=read_only).status_code == 200
    refused(signed_send(client, "POST", "/v2/products", app, token=read_only, params={"name": "Lamp"}),
            403, "Insufficient scope", "This request needs the 'products:write' scope.")
    refused(signed_send(client, "GET", "/v2", app, token=read_only), 403, "Insufficient scope",
            "This request needs the 'account:read' scope.")


def test_another_users_token_sees_only_its_own_products(client, app, alice_token):
    from tests.factories import make_product

    bob = make_user("bob")
    make_product(bob, name="Bob's")
    mine = make_product(alice_token.user, name="Alice's")
    body = signed_send(client, "GET", "/v2/products", app, token=alice_token).json()
    assert [product["id"] for product in body["results"]] == [mine.pk]


# --- The request-token step ---------------------------------------------------------------------


def test_callback_outside_the_registration(client, app):
    response = signed_send(client, "POST", "/oauth/request_token", app,
                           callback="https://evil.example.com/oauth/ready")
    refused(response, 400, "Bad Request",
            "oauth_callback must be 'oob' or a URL under the client's registered callback URL.")


def test_callback_on_a_client_without_a_registered_callback(client, developer):
    oob_only = make_consumer(developer)
    response = signed_send(client, "POST", "/oauth/request_token", oob_only, callback=CALLBACK)
    refused(response, 400, "Bad Request",
            "This client has no registered callback URL: oauth_callback must be 'oob'.")


def test_missing_callback_is_400(client, app):
    response = signed_send(client, "POST", "/oauth/request_token", app)
    refused(response, 400, "Bad Request", "Missing callback URI.")


def test_scope_wider_than_the_consumers(client, developer):
    reader = make_consumer(developer, scopes="products:read")
    response = signed_send(client, "POST", "/oauth/request_token", reader, callback="oob",
                           params={"scope": "products:read products:write"})
    refused(response, 403, "Insufficient scope", "This request needs the 'products:write' scope.")


def test_unknown_scope_is_400(client, app):
    response = signed_send(client, "POST", "/oauth/request_token", app, callback="oob",
                           params={"scope": "admin"})
    body = refused(response, 400, "Bad Request")
    assert "admin" in body["additional"]


def test_request_token_for_a_revoked_consumer(client, app):
    consumer_revoke(consumer=app)
    refused(signed_send(client, "POST", "/oauth/request_token", app, callback="oob"), 403,
            "Invalid client key")


def test_request_token_for_a_disabled_developer(client, app, developer):
    account_suspend(user=developer, reason="terms")
    refused(signed_send(client, "POST", "/oauth/request_token", app, callback="oob"), 403,
            "API Access is disabled")


def test_request_token_with_a_wrong_consumer_secret(client, app):
    response = signed_send(client, "POST", "/oauth/request_token", app, callback="oob",
                           consumer_secret="wrong")
    assert refused(response, 401, "Could not authenticate:") == INVALID


# --- The access-token step ----------------------------------------------------------------------


def exchange(client, app, request_token, verifier, **kwargs):
    return signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                       verifier=verifier, **kwargs)


def test_exchange_gives_an_access_token(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    response = exchange(client, app, request_token, request_token.verifier)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/x-www-form-urlencoded"
    assert response["Cache-Control"] == "no-store"
    assert AccessToken.objects.get(user=alice, consumer=app).request_token == request_token


def test_reused_request_token(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    assert exchange(client, app, request_token, request_token.verifier).status_code == 200
    response = exchange(client, app, request_token, request_token.verifier)
    assert refused(response, 401, "Could not authenticate:") == INVALID
    assert AccessToken.objects.filter(consumer=app).count() == 1


def test_wrong_verifier(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    response = exchange(client, app, request_token, "v" * 40)
    refused(response, 401, "Could not authenticate:", "Invalid or expired verifier.")
    # The right verifier still works afterwards: a wrong guess does not burn the token.
    assert exchange(client, app, request_token, request_token.verifier).status_code == 200


def test_verifier_of_another_request_token(client, app, alice):
    first = make_request_token(app, authorized_by=alice)
    second = make_request_token(app, authorized_by=alice)
    refused(exchange(client, app, second, first.verifier), 401, "Could not authenticate:",
            "Invalid or expired verifier.")


def test_unauthorized_request_token_cannot_be_exchanged(client, app):
    request_token = make_request_token(app)
    refused(exchange(client, app, request_token, "v" * 40), 401, "Could not authenticate:",
            "Invalid or expired verifier.")


def test_expired_request_token(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    type(request_token).objects.filter(pk=request_token.pk).update(expires_at=request_token.created)
    assert refused(exchange(client, app, request_token, request_token.verifier), 401,
                   "Could not authenticate:") == INVALID


def test_access_token_for_a_user_locked_since_authorizing(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)
    account_suspend(user=alice, reason="billing")
    refused(exchange(client, app, request_token, request_token.verifier), 403, "No API Access")


def test_token_endpoints_answer_json_for_unknown_methods(client):
    refused(client.delete("/oauth/request_token"), 405, "Method Not Allowed")


def test_token_endpoint_without_oauth_parameters_is_400(client):
    refused(client.post("/oauth/request_token"), 400, "Bad Request", "Missing mandatory OAuth parameters.")


def test_an_expired_request_token_is_pruned_and_its_access_token_keeps_working(client, app, alice, alice_token):
    from consumers.oauth1.models import RequestToken
    from consumers.oauth1.services import request_tokens_prune

    RequestToken.objects.update(expires_at=alice_token.created)
    assert request_tokens_prune() >= 1
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200


def test_unknown_keys_take_the_same_path_as_known_ones(client, app, alice_token, settings):
    """The dummy paths: an unknown client or token costs the same lookups as a wrong secret, so the
    answer time does not say which keys exist.

    Counted on the database path; with Redis an unknown key is not remembered (that would be one
    entry per made-up key, `consumers.lookup_cache`): it costs a query where a known one is cached.
    Counted in the scheme, which decides the answer: once it is decided, a refusal is noted on the app
    its key names (`apiv2.refusals_noted`), a write only for a client that exists (so strangers cannot
    fill the store). Which client keys exist is told anyway, by HTTP Basic's check order, to anyone
    with an account (`Invalid client key` or `Client key does not belong to the authenticated account`).
    """
    settings.REDIS_URL = ""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from apiv2.errors import ApiError
    from apiv2.schemes.oauth1 import OAuth1Authentication

    def queries(**kwargs):
        _, headers, _ = sign("GET", "/v2/products", app, **kwargs)
        request = Request(APIRequestFactory().get("/v2/products", HTTP_AUTHORIZATION=headers["Authorization"]))
        with CaptureQueriesContext(connection) as captured, pytest.raises(ApiError) as refused:
            OAuth1Authentication().authenticate(request)
        assert refused.value.status_code == 401
        return len(captured)

    wrong_secret = queries(token=alice_token, consumer_secret="x" * 43)
    real_key = alice_token.key
    alice_token.key = "unknown-token-" + "t" * 26
    unknown_token = queries(token=alice_token)
    alice_token.key = real_key
    app.client_id = "unknown-client-" + "c" * 17
    unknown_client = queries(token=alice_token)
    assert wrong_secret == unknown_token == unknown_client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_request_token_by_get_or_post(client, app, method):
    response = signed_send(client, method, "/oauth/request_token", app, callback="oob")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-www-form-urlencoded"
    assert "oauth_callback_confirmed=true" in response.content.decode()
