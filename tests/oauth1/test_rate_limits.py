"""Signed API requests spend the client key's and the account's budgets, as Basic does; a replayed
request is refused before it spends anything (with Redis the nonce and the counts are one step)."""

from tests.factories import ALICE_PASSWORD, basic_header, make_consumer
from tests.oauth1.signing import send, sign, signed_send


def test_signed_requests_count_down_then_answer_429(client, app, alice_token, rates):
    rates(client_key="3/hour", account="100/hour")
    remaining = [signed_send(client, "GET", "/v2/products", app, token=alice_token)["X-RateLimit-Remaining"]
                 for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = signed_send(client, "GET", "/v2/products", app, token=alice_token)
    assert refused.status_code == 429
    assert refused.json()["message"] == "Too many requests"
    assert int(refused["Retry-After"]) >= 1


def test_a_replay_is_refused_and_spends_no_budget(client, app, alice_token, rates):
    rates(client_key="5/hour", account="100/hour")
    signed = sign("GET", "/v2/products", app, token=alice_token)
    assert send(client, "GET", signed)["X-RateLimit-Remaining"] == "4"
    replayed = send(client, "GET", signed)
    assert replayed.status_code == 401
    assert replayed.json()["additional"] == "This nonce was already used."
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token)["X-RateLimit-Remaining"] == "3"


def test_the_account_budget_spans_basic_and_signed_requests(client, app, alice, alice_token, rates):
    rates(client_key="100/hour", account="2/hour")
    own_key = make_consumer(alice)
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    assert client.get("/v2/products", HTTP_AUTHORIZATION=basic_header("alice", ALICE_PASSWORD),
                      HTTP_X_CLIENT_KEY=own_key.client_key).status_code == 200
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 429
