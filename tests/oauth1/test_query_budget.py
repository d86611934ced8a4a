"""The auth layer's cost on a warm signed request: at most two database queries, none with Redis,
and no database write for nonces when Redis holds them."""
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apiv2.schemes.oauth1 import OAuth1Authentication
from tests.oauth1.signing import sign


def signed_request(app, token):
    uri, headers, _ = sign("GET", "/v2/products", app, token=token)
    return Request(APIRequestFactory().get("/v2/products", HTTP_AUTHORIZATION=headers["Authorization"]))


def test_warm_oauth_request_stays_within_the_query_budget(app, alice, alice_token):
    authenticate = OAuth1Authentication().authenticate
    authenticate(signed_request(app, alice_token))  # cold: lookups remembered, last-used marks written
    authenticate(signed_request(app, alice_token))  # the snapshots are remembered again after the marks
    with CaptureQueriesContext(connection) as queries:
        user, credentials = authenticate(signed_request(app, alice_token))
    assert user == alice and credentials.token == alice_token and credentials.consumer == app
    # Savepoints come from the test's own transaction around the nonce INSERT; in autocommit (a
    # server) there are none.
    statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    if settings.REDIS_URL:
        assert statements == []  # client, token and nonce all live in Redis
    else:
        # One query for client, token, their users and account states; one INSERT for the nonce.
        assert len(statements) <= 2, statements
        assert sum(sql.startswith("INSERT") for sql in statements) == 1
