"""Redis without persistence restarted: it forgets every nonce it held, but a signed request captured before
the restart must not be accepted again after it (its timestamp is still inside the ten-minute window)."""
import time

import pytest
from oauthlib.oauth1 import Client

from tests.redis_servers import PlainRedis
from tests.servers import gunicorn_server
from tests.topologies.conftest import error_body, get, skip_unless_installed

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forgetful_redis(tmp_path):
    skip_unless_installed("redis-server")
    with PlainRedis(tmp_path, password="restart-password") as server:
        yield server


def test_a_request_signed_before_a_restart_is_refused_after_it(forgetful_redis, account):
    aladdin = account("aladdin")
    app, token = aladdin.oauth1_app, aladdin.oauth1_token

    with gunicorn_server(workers=2, extra_env=forgetful_redis.env) as base_url:
        def signed():
            signer = Client(app.client_key, client_secret=app.client_secret, resource_owner_key=token.key,
                            resource_owner_secret=token.secret)
            uri, headers, _ = signer.sign(f"{base_url}/v2", "GET")
            return uri, headers

        uri, captured = signed()  # what an eavesdropper keeps
        assert get(uri, headers=captured).status_code == 200
        assert error_body(get(uri, headers=captured), 401) == "Could not authenticate:"  # Redis remembers

        forgetful_redis.restart()
        client = forgetful_redis.client()
        assert client.dbsize() == 0  # it forgot
        client.close()

        replay = get(uri, headers=captured)
        assert error_body(replay, 401) == "Could not authenticate:", replay.text
        time.sleep(1.1)  # a new second: a timestamp from after the restart
        uri, fresh = signed()
        assert get(uri, headers=fresh).status_code == 200  # the service works on the restarted Redis
        assert get(f"{base_url}/v2/status").status_code == 200
