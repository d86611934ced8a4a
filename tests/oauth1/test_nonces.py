"""Replay protection across processes: one atomic record per nonce, consumer key, token and timestamp.

The store is the database by default and Redis when REDIS_URL is set; the suite runs both ways.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from requests_oauthlib import OAuth1

from access.models import Nonce
from access.refusals import SharedStateUnavailable
from access.store.nonces import nonces_prune
from consumers.oauth1.models import AccessToken
from consumers.oauth1.nonces import REPLAYED, STALE, nonce_use, replay_refusal
from tests.factories import make_request_token
from tests.oauth1.signing import signed_send
from tests.servers import gunicorn_server

CLIENTS = 16  # identical signed requests (issue 3)
EXCHANGES = 20  # concurrent exchanges of one request token and verifier (issue 6)


def fire_at_once(prepared_requests):
    """Send every prepared request at the same moment from its own thread; the responses."""
    start = threading.Barrier(len(prepared_requests))

    def send(prepared):
        with requests.Session() as session:
            start.wait()
            return session.send(prepared, timeout=60)

    with ThreadPoolExecutor(max_workers=len(prepared_requests)) as pool:
        return list(pool.map(send, prepared_requests))


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["configured", "database"])
def test_sixteen_identical_signed_requests_at_once_get_exactly_one_success(app, alice_token, store):
    """With REDIS_URL set, "configured" is Redis; "database" is always the unique row."""
    extra_env = {"REDIS_URL": ""} if store == "database" else {}
    with gunicorn_server(workers=4, extra_env=extra_env) as base:
        auth = OAuth1(app.client_key, app.client_secret, alice_token.key, alice_token.secret)
        prepared = requests.Request("GET", f"{base}/v2/products", auth=auth).prepare()
        responses = fire_at_once([prepared.copy() for _ in range(CLIENTS)])
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * (CLIENTS - 1), statuses
    for response in responses:
        if response.status_code == 401:
            assert response.json()["additional"] == REPLAYED


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_twenty_exchanges_of_one_verifier_at_once_give_exactly_one_access_token(app, alice):
    """Distinct nonces, so only the exchange itself (a conditional UPDATE) stands between them."""
    request_token = make_request_token(app, authorized_by=alice)
    with gunicorn_server(workers=4) as base:
        prepared = [
            requests.Request("POST", f"{base}/oauth/access_token", auth=OAuth1(
                app.client_key, app.client_secret, request_token.key, request_token.secret,
                verifier=request_token.verifier)).prepare()
            for _ in range(EXCHANGES)
        ]
        responses = fire_at_once(prepared)
    assert sorted(r.status_code for r in responses) == [200] + [401] * (EXCHANGES - 1)
    assert AccessToken.objects.filter(request_token=request_token).count() == 1


# --- The store itself ------------------------------------------------------------------------------


def use(nonce="n0nce-0001", token="", timestamp=None, consumer_key="k" * 32):
    return nonce_use(consumer_key=consumer_key, token=token, nonce=nonce,
                     timestamp=str(int(time.time()) if timestamp is None else timestamp))


def test_a_nonce_is_accepted_once(db):
    now = int(time.time())
    assert use(timestamp=now) is None
    assert use(timestamp=now).additional == REPLAYED


def test_the_same_nonce_with_another_token_timestamp_or_consumer_is_new(db):
    now = int(time.time())
    assert use(timestamp=now) is None
    assert use(timestamp=now, token="t" * 40) is None
    assert use(timestamp=now - 1) is None
    assert use(timestamp=now, consumer_key="c" * 32) is None


def test_timestamps_outside_ten_minutes_are_refused_without_recording(db):
    assert use(timestamp=int(time.time()) - 601).additional == STALE
    assert use(timestamp=int(time.time()) + 601).additional == STALE
    assert not Nonce.objects.exists()


def test_database_store_prunes_only_what_the_window_would_refuse_anyway(db, settings):
    settings.REDIS_URL = ""  # the database store, whatever this run is configured with
    assert use() is None
    Nonce.objects.create(digest="old", expires_at="2000-01-01T00:00:00Z")
    assert nonces_prune() == 1
    assert not Nonce.objects.filter(digest="old").exists()
    assert Nonce.objects.count() == 1


# --- A store that cannot be reached refuses (503), never accepts unchecked ---------------------------


def test_unreachable_redis_is_503_json(client, app, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": settings.REDIS_URL}}
    response = signed_send(client, "POST", "/oauth/request_token", app, callback="oob")
    assert response.status_code == 503
    assert response.json() == {
        "status": 503, "message": "Service Unavailable",
        "additional": "A backing service could not be reached; try again shortly.", "reference": "",
    }


def test_unusable_database_store_is_503_json(client, app, alice_token, settings):
    settings.REDIS_URL = ""  # the database store, whatever this run is configured with
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(f"DROP TABLE {Nonce._meta.db_table}")
    response = signed_send(client, "GET", "/v2/products", app, token=alice_token)
    assert response.status_code == 503
    assert response.json()["message"] == "Service Unavailable"


def test_unknown_clients_cannot_grow_the_nonce_store(client, app, alice_token):
    """Nonces are recorded only once a signature is good: made-up keys leave no row behind."""
    from django.conf import settings as django_settings

    from tests.oauth1.signing import signed_send
    from tests.redis_commands import stored_keys

    def stored_nonces():
        if django_settings.REDIS_URL:
            return len(stored_keys("oauth1-nonce:*"))
        return Nonce.objects.count()

    assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 200
    assert stored_nonces() == 1  # the store counted here is the one in use
    app.client_id = "made-up-client-key-0123456789"
    for _ in range(5):
        assert signed_send(client, "GET", "/v2/products", app, token=alice_token).status_code == 401
    assert stored_nonces() == 1


# --- A look without a claim (the signature debugger's) -----------------------------------------------


def test_a_look_at_a_nonce_claims_nothing_on_either_store(db, store):
    now = str(int(time.time()))
    looked = {"consumer_key": "k" * 32, "token": "t" * 40, "timestamp": now, "nonce": "looked-at"}
    assert replay_refusal(**looked) is None
    assert replay_refusal(**looked) is None  # looking twice is still no claim
    assert use(nonce="looked-at", token="t" * 40, timestamp=now) is None  # the claim finds it fresh
    assert replay_refusal(**looked).additional == REPLAYED  # and the look now sees it
    assert replay_refusal(**{**looked, "nonce": "another"}) is None


def test_a_look_at_an_unreachable_store_is_refused_as_a_claim_is(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(SharedStateUnavailable):
        replay_refusal(consumer_key="k" * 32, token="", timestamp=str(int(time.time())), nonce="n")
