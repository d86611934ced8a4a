"""Rate limits per client key and per account: 429 in the contract's shape, with headers that say why."""
import math
import time

import pytest
import requests

from access.credentials import client_tag
from access.store.counters import from_database
from access.store.reads import fetch
from access.store.usage import usage_counter, usage_read
from tests.factories import basic_header, make_bearer_token, make_consumer
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import client_auth as oauth2_client_auth
from tests.redis_commands import commands_sent_to_redis, store_client, store_key
from tests.servers import gunicorn_server


def test_every_answer_carries_rate_limit_headers(api, rates):
    rates(client_key="5/hour", account="50/hour")
    first = api.get("/v2")
    second = api.get("/v2/products")
    assert first["X-RateLimit-Limit"] == "5"
    assert (first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]) == ("4", "3")
    reset = int(first["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 3601


def test_the_key_limit_answers_429_with_retry_after_and_zero_remaining(api, rates):
    rates(client_key="2/hour")
    api.get("/v2")
    api.get("/v2")
    refused = api.get("/v2")
    assert refused.status_code == 429
    assert refused.json()["message"] == "Too many requests"
    assert refused["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_the_account_limit_spans_all_of_the_accounts_keys(client, aladdin, password, rates):
    rates(client_key="100/hour", account="3/hour")
    keys = [make_consumer(aladdin) for _ in range(2)]
    statuses = [
        client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                   HTTP_X_CLIENT_KEY=keys[n % 2].client_key).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_one_keys_limit_does_not_spend_anothers(client, aladdin, password, rates):
    rates(client_key="1/hour", account="100/hour")
    first, second = make_consumer(aladdin), make_consumer(aladdin)
    auth = basic_header("Aladdin", password)
    assert client.get("/v2", HTTP_AUTHORIZATION=auth, HTTP_X_CLIENT_KEY=first.client_key).status_code == 200
    assert client.get("/v2", HTTP_AUTHORIZATION=auth, HTTP_X_CLIENT_KEY=first.client_key).status_code == 429
    assert client.get("/v2", HTTP_AUTHORIZATION=auth, HTTP_X_CLIENT_KEY=second.client_key).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_workers_share_one_budget(aladdin, aladdin_key, password):
    """Counts travel with each worker's next read, so the workers together let through the budget and
    at most one request more per worker, never a budget each."""
    headers = {"Authorization": basic_header("Aladdin", password), "X-Client-Key": aladdin_key.client_key}
    with gunicorn_server(workers=2, extra_env={"API_RATE_LIMIT": "5/hour"}) as base_url:
        statuses = [requests.get(f"{base_url}/v2", headers=headers, timeout=30).status_code for _ in range(14)]
    assert set(statuses) == {200, 429}
    assert 5 <= statuses.count(200) <= 5 + 2, statuses


def test_each_request_is_counted_at_once_whatever_is_read_in_between(api, rates, settings):
    """The throttle counts each request in its own round trip: a read of the store in between (one
    that reads nothing included) neither loses nor adds a count."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: counts are added at once, in the database")
    rates(client_key="5/hour", account="50/hour")
    assert api.get("/v2")["X-RateLimit-Remaining"] == "4"
    fetch()  # reads nothing
    assert api.get("/v2")["X-RateLimit-Remaining"] == "3"


# --- Limits read at each request, windows cut at whole seconds ------------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch):
    """`time.time()` stopped at a whole second (moved on by `advance`): every request of a test in one second.

    Stopped at the start of the next real second, waited for: the database cache dates a counter's
    expiry with the stopped clock and compares it with the real one, so the test gets the whole second
    (stopped at the current second, a test begun late in it could see its counter expire)."""
    real = time.time()
    time.sleep(math.ceil(real) - real)
    now = [float(math.ceil(real))]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds):
        now[0] += seconds
    return advance


def test_a_limit_changed_within_the_second_applies_to_the_next_request(api, rates, frozen_clock):
    rates(client_key="5/hour")
    assert api.get("/v2")["X-RateLimit-Limit"] == "5"
    rates(client_key="3/hour")
    assert api.get("/v2")["X-RateLimit-Limit"] == "3"


def test_a_new_second_starts_a_new_per_second_window(api, rates, frozen_clock):
    rates(client_key="1/second")
    assert api.get("/v2").status_code == 200
    assert api.get("/v2").status_code == 429
    frozen_clock(0.5)  # the same second: the same window, the same counter
    assert api.get("/v2").status_code == 429
    frozen_clock(0.5)
    assert api.get("/v2").status_code == 200


# --- The app's usage of the day, in the throttle's round trip (`access.store.usage`) -------------------


def served_round_trips(send, warm_up=3):
    """The commands of each round trip of a warm served request (after `warm_up` requests)."""
    for _ in range(warm_up):
        assert send().status_code == 200
    with commands_sent_to_redis() as sent:
        assert send().status_code == 200
    return sent


@pytest.mark.parametrize("scheme, before", [("basic", 2), ("oauth1", 2), ("oauth2", 2)])
def test_a_served_request_makes_as_many_round_trips_as_before_and_is_counted(
        scheme, before, client, aladdin, aladdin_key, password, app, alice, alice_token, rates, settings):
    """Counting the app's usage adds no round trip: every scheme makes two (the read, the count; Bearer's
    read holds the token's snapshot and its client's), as before usage was counted; the day's counter
    is in the count's pipeline, with the throttle's, on the client key's hash tag."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis round trips to count")
    rates(client_key="100/hour", account="100/hour")
    bearer = make_bearer_token(app, alice)
    send, consumer = {
        "basic": (lambda: client.get("/v2/products", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                                     HTTP_X_CLIENT_KEY=aladdin_key.client_key), aladdin_key),
        "oauth1": (lambda: signed_send(client, "GET", "/v2/products", app, token=alice_token), app),
        "oauth2": (lambda: client.get("/v2/products", HTTP_AUTHORIZATION=f"Bearer {bearer.value}"), app),
    }[scheme]
    sent = served_round_trips(send)
    assert len(sent) == before, sent
    name, period = usage_counter(consumer.client_key, time.time())
    assert name.startswith(f"usage:{{{client_tag(consumer.client_key)}}}:")
    assert int(store_client().get(store_key(name))) == 4
    assert 0 < store_client().ttl(store_key(name)) <= period == 31 * 86400


def test_a_served_request_is_counted_in_the_database_without_redis(api, aladdin_key, rates, settings):
    settings.REDIS_URL = ""
    rates(client_key="100/hour", account="100/hour")
    for _ in range(3):
        assert api.get("/v2").status_code == 200
    name, _ = usage_counter(aladdin_key.client_key, time.time())
    assert from_database([name]) == {name: 3}


def test_the_token_endpoints_count_no_usage(client, app, rates, settings):
    """Usage is the API's (`/v2`): the token endpoints count against the key's budget only."""
    rates(client_key="100/hour", account="100/hour")
    answer = client.post("/oauth2/token", {"grant_type": "client_credentials"}, **oauth2_client_auth(app))
    assert answer.status_code == 200 and "X-RateLimit-Remaining" in answer
    assert usage_read(app.client_key, days=1).days[0].counted == 0
