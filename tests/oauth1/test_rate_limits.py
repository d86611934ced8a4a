"""Signed API requests spend the client key's and the account's budgets, as Basic does; a replayed
request is refused before it spends anything (with Redis the nonce and the counts are one step)."""
import pytest

from tests.factories import ALICE_PASSWORD, basic_header, make_consumer
from tests.oauth1.signing import send, sign, signed_send
from tests.redis_commands import commands_sent_to_redis


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


def test_a_warm_signed_request_makes_two_round_trips_and_is_counted(client, app, alice_token, rates, settings):
    """A warm signed request reads its snapshots and claims its nonce in one round trip, and the throttle
    counts it in a second; every request is counted, cold or warm."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis round trips to count")
    rates(client_key="100/hour", account="4/hour")
    statuses, round_trips = [], []
    for _ in range(5):
        with commands_sent_to_redis() as sent:
            statuses.append(signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code)
        round_trips.append(len(sent))
    assert statuses == [200, 200, 200, 200, 429]
    assert round_trips[2:4] == [2, 2], round_trips  # the read with the nonce's claim, then the count


def test_a_renamed_account_is_counted_under_its_new_name_at_once(client, app, alice, alice_token, rates):
    """The account's counter is named after the username a token's snapshot carries: a worker that saw the
    old name must not keep counting under it."""
    rates(client_key="100/hour", account="3/hour")
    for _ in range(3):
        assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 429
    alice.username = "alice-renamed"
    alice.save()
    statuses = [signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
