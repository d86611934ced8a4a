"""The shared store in the metrics (`access.store.connection`, `counters`, `reads`): each Redis round trip
timed by operation, each failure counted (timeout or unreachable), each fallback to the database counted.
Read from `/metrics` over HTTP after real requests."""
import pytest
from django.conf import settings as django_settings

from tests.factories import basic_header
from tests.scraped import by, grown, samples
from tests.servers import free_port


def scrape(client):
    return samples(client.get("/metrics").content.decode())


def basic_requests(client, user, password, key, n):
    headers = {"HTTP_AUTHORIZATION": basic_header(user.username, password), "HTTP_X_CLIENT_KEY": key.client_key}
    return [client.get("/v2", **headers).status_code for _ in range(n)]


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="round trips are to Redis (REDIS_URL=redis://...)")
def test_a_warm_basic_request_makes_two_timed_round_trips(client, aladdin, aladdin_key, password):
    assert basic_requests(client, aladdin, password, aladdin_key, 2) == [200, 200]  # warm: snapshot, password
    before = scrape(client)
    assert basic_requests(client, aladdin, password, aladdin_key, 1) == [200]
    after = scrape(client)
    name = "apiplatform_store_round_trip_seconds_count"
    assert grown(by(before, name, "operation"), by(after, name, "operation")) == {("read",): 1, ("count",): 1}
    assert grown(by(before, "apiplatform_store_fallbacks_total"), by(after, "apiplatform_store_fallbacks_total")) == {}


def test_redis_that_cannot_be_reached_shows_as_errors_and_fallbacks(client, aladdin, aladdin_key, password,
                                                                     settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    before = scrape(client)
    assert basic_requests(client, aladdin, password, aladdin_key, 2) == [200, 200]  # from the database
    after = scrape(client)

    errors = grown(by(before, "apiplatform_store_errors_total", "operation", "error"),
                   by(after, "apiplatform_store_errors_total", "operation", "error"))
    assert {error for _, error in errors} == {"unreachable"}
    assert errors[("read", "unreachable")] == 2
    fallbacks = grown(by(before, "apiplatform_store_fallbacks_total", "operation"),
                      by(after, "apiplatform_store_fallbacks_total", "operation"))
    # Each request: its read and its rate count; the first one's password check claims its place in the
    # failed-login counters (the second finds the password remembered, in the database too).
    assert fallbacks == {("read",): 2, ("claim",): 1, ("count",): 2}
