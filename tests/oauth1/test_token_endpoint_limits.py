"""The token endpoints are rate-limited per client key, out of the same budget as the API.

docs/contract.md, "Rate limits and failed sign-ins": every client key has a request budget
(`API_RATE_LIMIT`) and the OAuth token endpoints count against it too; answers carry
`X-RateLimit-Limit/Remaining/Reset`; past the budget, 429 `Too many requests` with `Retry-After`.
Only requests signed with the client's secret count: strangers (a made-up key, a bad signature) must
not be able to spend someone else's budget.

Signed by oauthlib's client, sent through Django's test client: real database, real cache.
"""
import time
from types import SimpleNamespace

import pytest

from tests.factories import make_access_token, make_consumer, make_request_token
from tests.oauth1.signing import signed_send


@pytest.fixture
def client_key_rate(rates):
    """The client-key budget (`API_RATE_LIMIT`); the account budget is left out of the way."""
    return lambda rate: rates(client_key=rate, account="1000/hour")


def request_token_call(client, app, **kwargs):
    return signed_send(client, "POST", "/oauth/request_token", app, callback="oob", **kwargs)


def access_token_call(client, app, alice):
    request_token = make_request_token(app, authorized_by=alice)  # made directly: not counted
    return signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                       verifier=request_token.verifier)


def counted(response, remaining, limit=3):
    """A successful answer that says where the client stands."""
    assert response.status_code == 200, response.content
    assert response["X-RateLimit-Limit"] == str(limit)
    assert response["X-RateLimit-Remaining"] == str(remaining)
    assert time.time() < int(response["X-RateLimit-Reset"]) <= time.time() + 3601


def too_many(response, limit=3):
    """The contract's 429: JSON error body, Retry-After in whole seconds, the rate-limit headers."""
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message", "additional", "reference"}
    assert (body["status"], body["message"]) == (429, "Too many requests")
    retry_after = response["Retry-After"]
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 3600
    assert response["X-RateLimit-Limit"] == str(limit)
    assert response["X-RateLimit-Remaining"] == "0"
    assert time.time() < int(response["X-RateLimit-Reset"]) <= time.time() + 3601
    return body


def test_request_token_endpoint_counts_down_then_answers_429(client, app, client_key_rate):
    client_key_rate("3/hour")
    for remaining in (2, 1, 0):
        counted(request_token_call(client, app), remaining)
    too_many(request_token_call(client, app))


def test_another_clients_key_is_not_limited_by_this_ones(client, app, developer, client_key_rate):
    client_key_rate("3/hour")
    other_app = make_consumer(developer, name="Scanner")
    for _ in range(3):
        assert request_token_call(client, app).status_code == 200
    too_many(request_token_call(client, app))
    counted(request_token_call(client, other_app), remaining=2)
    too_many(request_token_call(client, app))


def test_access_token_endpoint_spends_the_same_budget(client, app, alice, client_key_rate):
    client_key_rate("3/hour")
    counted(request_token_call(client, app), remaining=2)
    counted(request_token_call(client, app), remaining=1)
    counted(access_token_call(client, app, alice), remaining=0)
    too_many(access_token_call(client, app, alice))
    too_many(request_token_call(client, app))


def test_token_endpoints_and_the_api_share_one_budget(client, app, alice, client_key_rate):
    """One budget per client key, whether it asks for tokens or for data."""
    client_key_rate("3/hour")
    alice_token = make_access_token(app, alice)
    api = signed_send(client, "GET", "/v2/products", app, token=alice_token)
    counted(api, remaining=2)
    counted(request_token_call(client, app), remaining=1)
    counted(access_token_call(client, app, alice), remaining=0)
    too_many(signed_send(client, "GET", "/v2/products", app, token=alice_token))


def test_bad_signatures_with_a_real_key_do_not_spend_its_budget(client, app, alice, client_key_rate):
    client_key_rate("3/hour")
    for _ in range(5):  # more than the budget
        response = request_token_call(client, app, consumer_secret="guessed secret")
        assert response.status_code == 401, response.content
        assert response.json()["message"] == "Could not authenticate:"
    request_token = make_request_token(app, authorized_by=alice)
    for _ in range(2):
        response = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                               verifier=request_token.verifier, token_secret="guessed token secret")
        assert response.status_code == 401, response.content
    # The real client still has its whole budget.
    counted(request_token_call(client, app), remaining=2)


def test_made_up_client_keys_are_401_and_spend_no_real_clients_budget(client, app, client_key_rate):
    client_key_rate("3/hour")
    stranger = SimpleNamespace(client_key="made-up-client-key-" + "k" * 13, client_secret="s" * 43)
    for _ in range(5):  # more than the budget
        response = request_token_call(client, stranger)
        assert response.status_code == 401, response.content
        assert response.json()["message"] == "Could not authenticate:"
    counted(request_token_call(client, app), remaining=2)
