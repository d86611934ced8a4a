"""An API request's read of the shared store starts as the request comes in (`apiv2.early_reads`)."""
import time

import pytest
import redis

from access import shared_state
from tests.factories import basic_header
from tests.oauth1.signing import signed_send
from tests.redis_commands import commands_sent_to_redis


@pytest.fixture
def redis_only(settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the database is read when asked, nothing starts early")


def test_a_read_started_and_never_collected_leaves_the_next_answers_in_order(api, rates, redis_only, settings):
    """The status page authenticates nobody, so the read its Basic header started is never collected;
    the worker's next read takes those answers off the connection first (never as its own, and
    without dropping the connection to be rid of them)."""
    rates(client_key="5/hour", account="50/hour")
    assert api.get("/v2")["X-RateLimit-Remaining"] == "4"
    with commands_sent_to_redis() as sent:
        assert api.get("/v2/status").status_code == 200
    # The read started (one write: the count owed for the first request, then the read), then the
    # status page's own check of the store.
    assert sent == ["SET", "PING"]
    server = redis.Redis.from_url(settings.REDIS_URL)
    connections = server.info("stats")["total_connections_received"]
    assert api.get("/v2/status").status_code == 200
    assert api.get("/v2/products")["X-RateLimit-Remaining"] == "3"
    assert api.get("/v2")["X-RateLimit-Remaining"] == "2"
    assert server.info("stats")["total_connections_received"] == connections


def test_a_refusal_of_the_first_step_still_comes_in_the_contracts_order(client, aladdin, password):
    """No client key: the early start skips the request, and the scheme refuses it in its turn (an
    unknown URL is still a 404 first)."""
    answer = client.get("/v2/nowhere", HTTP_AUTHORIZATION=basic_header(aladdin.username, password))
    assert answer.status_code == 404
    answer = client.get("/v2/products", HTTP_AUTHORIZATION=basic_header(aladdin.username, password))
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "Must give an app key via X-Client-Key header or client_key query string parameter")


def test_a_signed_request_never_verified_leaves_its_nonce_unspent(client, app, alice_token):
    """The status page authenticates nobody: the nonce claim its signed request started as it came in is
    given back, so a page that never checked the request does not spend the client's nonce."""
    once = {"nonce": "status0nonce0once0000", "timestamp": str(int(time.time()))}
    assert signed_send(client, "GET", "/v2/status", app, token=alice_token, **once).status_code == 200
    assert signed_send(client, "GET", "/v2/products", app, token=alice_token, **once).status_code == 200
    replayed = signed_send(client, "GET", "/v2/products", app, token=alice_token, **once)
    assert replayed.status_code == 401
    assert replayed.json()["additional"] == "This nonce was already used."


@pytest.mark.parametrize("read", ["fetch", "fetch_and_claim"])
def test_a_new_workers_first_read_names_the_keys_the_others_wrote(read, redis_only, monkeypatch):
    """A worker learns the store's key prefix when it first reaches for Redis: a read started before
    that must still name the keys every other worker writes (a counter read as 0, or a nonce claimed
    under another name, would let a limit or a replay through)."""
    counted = shared_state.counters_add([("early-reads-test", 60)])[0]
    monkeypatch.setattr(shared_state._Redis, "url", None)  # as in a process that never used Redis
    monkeypatch.setattr(shared_state._Redis, "prefix", "")
    if read == "fetch":
        assert shared_state.fetch(counters=["early-reads-test"]) == {"early-reads-test": counted}
    else:
        found, _ = shared_state.fetch_and_claim_start(snapshots=[], counters=["early-reads-test"], tagged_counter=None,
                                                      nonce=("early-reads-test-nonce", "d" * 64, 60)).result()
        assert found == {"early-reads-test": counted}
