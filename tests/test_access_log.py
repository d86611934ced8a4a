"""The access line (`apiproject.access_log`): one per request, with the route (never the query string),
the scheme, the outcome (served, or the refusal's reason code), the status, the latency and the client
address, as Django's test client sends them (the JSON lines on gunicorn: tests/test_logging.py)."""
import logging

import pytest
from django.test import Client

from tests.factories import basic_header, make_bearer_token
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import client_auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(caplog):
    """The access lines' records: the logger is on as with LOG_FORMAT=json (off with text logs)."""
    caplog.set_level(logging.INFO, logger="apiproject.access")
    return lambda: [record for record in caplog.records if record.name == "apiproject.access"]


def fields(record):
    return {name: getattr(record, name) for name in ("method", "path", "route", "scheme", "outcome", "status")}


def test_a_served_basic_request_and_its_query_string_left_out(lines, aladdin, aladdin_key, password):
    answer = Client().get(f"/v2?client_key={aladdin_key.client_key}", REMOTE_ADDR="198.51.100.7",
                          HTTP_AUTHORIZATION=basic_header("Aladdin", password))
    assert answer.status_code == 200
    (line,) = lines()
    assert fields(line) == {"method": "GET", "path": "/v2", "route": "api-root", "scheme": "basic",
                            "outcome": "served", "status": 200}
    assert line.client == "198.51.100.7" and 0 <= line.latency_ms < 60_000
    assert aladdin_key.client_key not in str(vars(line))


@pytest.mark.parametrize("headers, scheme, outcome, status", [
    ({}, "none", "not_authenticated", 401),
    ({"HTTP_AUTHORIZATION": basic_header("Aladdin", "wrong")}, "basic", "invalid_credentials", 401),
    ({"HTTP_AUTHORIZATION": basic_header("Aladdin", "open sesame")}, "basic", "client_key_missing", 400),
    ({"HTTP_AUTHORIZATION": "Bearer no-such-token"}, "oauth2", "invalid_credentials", 401),
])
def test_a_refusal_is_logged_with_its_reason_code_and_the_scheme_presented(lines, aladdin, headers, scheme, outcome,
                                                                           status):
    assert Client().get("/v2/products", HTTP_X_CLIENT_KEY="" if status == 400 else "no-such-key",
                        **headers).status_code == status
    (line,) = lines()
    assert (line.route, line.scheme, line.outcome, line.status) == ("product-list", scheme, outcome, status)


def test_the_scheme_that_authenticated(lines, app, alice, alice_token):
    bearer = make_bearer_token(app, alice)
    assert signed_send(Client(), "GET", "/v2/products", app, token=alice_token).status_code == 200
    assert Client().get("/v2/products", HTTP_AUTHORIZATION=f"Bearer {bearer.value}").status_code == 200
    assert [(line.scheme, line.outcome) for line in lines()] == [("oauth1", "served"), ("oauth2", "served")]


def test_a_scope_refusal_names_the_scheme_that_authenticated(lines, app, alice):
    bearer = make_bearer_token(app, alice, scopes=["products:read"])
    answer = Client().post("/v2/products", {"name": "Lamp"}, HTTP_AUTHORIZATION=f"Bearer {bearer.value}")
    assert answer.status_code == 403
    (line,) = lines()
    assert (line.scheme, line.outcome) == ("oauth2", "insufficient_scope")


def test_the_token_endpoints_name_their_protocol_and_the_rfc_error(lines, app):
    answer = Client().post("/oauth2/token", {"grant_type": "client_credentials"}, **client_auth(app, "wrong"))
    assert answer.status_code == 401
    refused = Client().post("/oauth/request_token")
    assert refused.status_code in (400, 401)
    token, request_token = lines()
    assert (token.route, token.scheme, token.outcome) == ("oauth2-token", "oauth2", "invalid_client")
    assert (request_token.route, request_token.scheme) == ("oauth-request-token", "oauth1")
    assert request_token.outcome != "served"


def test_pages_and_unknown_urls(lines, client):
    client.get("/login")
    client.get("/no/such/page?secret=1")
    login, unknown = lines()
    assert (login.route, login.scheme, login.outcome, login.status) == ("login", "none", "served", 200)
    assert (unknown.path, unknown.route, unknown.outcome, unknown.status) == ("/no/such/page", None, "not_found", 404)


def test_every_refusal_code_is_among_the_documented_outcomes():
    from tests.test_contract_doc import all_refusals, section

    documented = section("Logs and request IDs")
    assert {refusal.code for refusal in all_refusals() if f"`{refusal.code}`" not in documented} == set()
