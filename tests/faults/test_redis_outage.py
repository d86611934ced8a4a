"""Redis stopped mid-run: HTTP Basic keeps working on the database alone and recovers without a restart.

The test starts its own Redis on a spare port; the shared one is never touched.
"""
import shutil

import pytest
import redis
import requests

from tests.factories import basic_header, make_consumer, make_user
from tests.servers import free_port, gunicorn_server, redis_server

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = redis_server(self.port)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def keys(self):
        return redis.Redis(port=self.port).keys("*")


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_basic_survives_a_redis_outage_and_uses_redis_again_when_it_returns(private_redis, password):
    key = make_consumer(make_user("Aladdin", password=password))
    headers = {"Authorization": basic_header("Aladdin", password), "X-Client-Key": key.client_key}
    with gunicorn_server(workers=2, extra_env={"REDIS_URL": private_redis.url}) as base_url:
        def statuses(path="/v2", n=4):
            return [requests.get(base_url + path, headers=headers, timeout=30).status_code for _ in range(n)]

        assert statuses() == [200] * 4
        assert private_redis.keys(), "Redis should hold the remembered credentials and counters"

        private_redis.stop()
        assert statuses() == [200] * 4
        outage = requests.get(f"{base_url}/v2/status", timeout=30)
        assert outage.status_code == 503
        assert outage.json()["cache"] == "unreachable" and outage.json()["database"] == "ok"

        private_redis.start()  # same port, empty
        assert statuses() == [200] * 4
        assert requests.get(f"{base_url}/v2/status", timeout=30).status_code == 200
        assert private_redis.keys(), "the workers should use Redis again without a restart"


@pytest.mark.django_db(transaction=True)
def test_oauth_refuses_with_503_while_the_nonce_store_is_down_and_recovers(private_redis, password):
    from requests_oauthlib import OAuth1

    from tests.factories import make_access_token

    user = make_user("Aladdin", password=password)
    consumer = make_consumer(user)
    token = make_access_token(consumer, user)
    auth = OAuth1(consumer.client_key, consumer.client_secret, token.key, token.secret)
    with gunicorn_server(workers=2, extra_env={"REDIS_URL": private_redis.url}) as base_url:
        def call():
            return requests.get(f"{base_url}/v2/products", auth=auth, timeout=30)

        assert call().status_code == 200
        private_redis.stop()
        refused = call()
        assert refused.status_code == 503
        body = refused.json()
        assert (body["status"], body["message"], body["reference"]) == (503, "Service Unavailable", "")
        assert body["additional"]  # says to try again shortly
        private_redis.start()
        assert [call().status_code for _ in range(3)] == [200] * 3


@pytest.mark.django_db(transaction=True)
def test_bearer_survives_a_redis_outage_on_the_database_and_uses_redis_again(private_redis, settings):
    """A Bearer token needs no nonce: with Redis down its request is answered from the database (the
    token and its client in one query, the rate counts there too), and a revocation still applies."""
    from tests.factories import make_bearer_token

    user = make_user("alice")
    token = make_bearer_token(make_consumer(user), user)
    headers = {"Authorization": f"Bearer {token.value}"}
    with gunicorn_server(workers=2, extra_env={"REDIS_URL": private_redis.url}) as base_url:
        def statuses(n=3):
            return [requests.get(f"{base_url}/v2/products", headers=headers, timeout=30).status_code
                    for _ in range(n)]

        assert statuses() == [200] * 3
        assert b"bearer-token-snapshot" in b" ".join(private_redis.keys())
        private_redis.stop()
        assert statuses() == [200] * 3
        private_redis.start()  # same port, empty
        assert statuses() == [200] * 3
        assert b"bearer-token-snapshot" in b" ".join(private_redis.keys())
        settings.REDIS_URL = private_redis.url  # this process forgets where the server remembers
        token.revoke()
        assert statuses(1) == [401]
