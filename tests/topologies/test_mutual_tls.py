"""Redis over mutual TLS: a server that speaks only TLS and requires a client certificate from our own CA,
with an ACL user. The service reads the whole `rediss://` URL (certificate, key, CA, host name check, minimum
TLS version) for every call, so requests and the health check agree: all good with our certificate, the
cache down for both with a certificate from another CA."""
import pytest

from tests.redis_servers import MutualTlsRedis
from tests.servers import gunicorn_server
from tests.topologies.conftest import error_body, get, skip_unless_installed

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tls_redis(tmp_path):
    skip_unless_installed("redis-server")
    with MutualTlsRedis(tmp_path) as server:
        yield server


def test_with_our_client_certificate_every_scheme_answers_from_redis(tls_redis, account):
    aladdin = account("aladdin")
    with gunicorn_server(workers=2, extra_env=tls_redis.env()) as base_url:
        for _ in range(2):  # cold, then warm (from what Redis remembers), on either worker
            for scheme, credentials in aladdin.schemes().items():
                response = get(f"{base_url}/v2", **credentials)
                assert response.status_code == 200, (scheme, response.text)
                assert response.json()["account"]["username"] == "aladdin"
        status = get(f"{base_url}/v2/status")
        assert status.status_code == 200 and status.json()["cache"] == "ok", status.text
    client = tls_redis.client()
    assert client.dbsize() > 0, "the service should keep its shared state in the TLS Redis"
    client.close()


def test_with_a_certificate_from_another_ca_signed_requests_get_503_and_the_status_says_so(tls_redis, account):
    aladdin = account("aladdin")
    with gunicorn_server(workers=2, extra_env=tls_redis.env(tls_redis.wrong_client_certificate)) as base_url:
        for _ in range(2):
            # A nonce cannot be claimed anywhere else: refused, in the guide's body.
            refused = get(f"{base_url}/v2", **aladdin.oauth1())
            assert error_body(refused, 503) == "Service Unavailable"
            assert refused.json()["additional"]
            # Basic and Bearer go on from the database, as with any Redis that cannot be reached.
            assert get(f"{base_url}/v2", **aladdin.basic()).status_code == 200
            assert get(f"{base_url}/v2", **aladdin.bearer()).status_code == 200
        status = get(f"{base_url}/v2/status")
        assert error_body(status, 503, more=("cache", "database")) == "Service Unavailable"
        assert (status.json()["cache"], status.json()["database"]) == ("unreachable", "ok")
    client = tls_redis.client()
    assert client.dbsize() == 0
    client.close()
