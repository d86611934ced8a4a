"""Redis Cluster: three masters sharing the slots, the service told one of them (`REDIS_TOPOLOGY=cluster`).
Everything a client does works as on one server: the three-legged OAuth 1.0a flow, Basic, Bearer, the rate
limits, the failed-password limit, a suspension seen on the next request, and a nonce accepted once across
two gunicorn instances."""
from types import SimpleNamespace

import pytest
from oauthlib.oauth1 import Client
from redis.cluster import RedisCluster
from requests_oauthlib import OAuth1, OAuth1Session

from tests.factories import ALICE_PASSWORD, CALLBACK, make_consumer, make_user
from tests.redis_servers import ClusterGroup
from tests.servers import gunicorn_server
from tests.topologies.conftest import (
    PASSWORD,
    approve,
    error_body,
    get,
    manage,
    skip_unless_installed,
    spend_budget,
)

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

RATE_BUDGET = 3  # API_RATE_LIMIT per client key, per day
FAILED_LOGIN_LIMIT = 3  # FAILED_LOGIN_LIMIT_PER_USERNAME


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    skip_unless_installed("redis-server", "redis-cli")
    with ClusterGroup(tmp_path_factory.mktemp("cluster")) as group:
        yield group


@pytest.fixture
def cluster_env(cluster):
    """The cluster's environment, every node emptied first (the cluster is the module's)."""
    for node in cluster.nodes:
        client = node.client()
        client.flushall()
        client.close()
    return cluster.env


def keys_in_cluster(cluster):
    """How many keys each master holds."""
    counts = []
    for node in cluster.nodes:
        client = node.client()
        counts.append(client.dbsize())
        client.close()
    return counts


def test_the_three_legged_flow_then_a_signed_call(cluster, cluster_env):
    app = make_consumer(make_user("developer"), name="Printer", callback_url=CALLBACK)
    make_user("alice", password=ALICE_PASSWORD)
    with gunicorn_server(workers=2, extra_env=cluster_env) as base_url:
        oauth = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri=CALLBACK)
        assert oauth.fetch_request_token(f"{base_url}/oauth/request_token")["oauth_callback_confirmed"] == "true"
        answer = approve(base_url, oauth.authorization_url(f"{base_url}/oauth/authorize"), "alice", ALICE_PASSWORD)
        assert answer.status_code == 302 and answer.headers["Location"].startswith(CALLBACK + "?oauth_token=")
        oauth.parse_authorization_response(answer.headers["Location"])
        access = oauth.fetch_access_token(f"{base_url}/oauth/access_token")
        token = SimpleNamespace(key=access["oauth_token"], secret=access["oauth_token_secret"])
        signed = OAuth1(app.client_key, app.client_secret, token.key, token.secret)
        response = get(f"{base_url}/v2", auth=signed)
        assert response.status_code == 200, response.text
        assert response.json()["account"]["username"] == "alice"
    assert sum(keys_in_cluster(cluster)) > 0, "the nonces and counters should be in the cluster"


def test_basic_oauth1_and_bearer_answer_then_each_client_key_is_rate_limited(cluster, cluster_env, account):
    aladdin = account("aladdin")
    with gunicorn_server(workers=2, extra_env={**cluster_env, "API_RATE_LIMIT": f"{RATE_BUDGET}/day"}) as base_url:
        for credentials in (aladdin.basic(), aladdin.oauth1(), aladdin.bearer()):
            spend_budget(f"{base_url}/v2", credentials, RATE_BUDGET)
    assert sum(keys_in_cluster(cluster)) > 0


def test_the_failed_password_limit_holds(cluster_env, account):
    aladdin = account("aladdin")
    env = {**cluster_env, "FAILED_LOGIN_LIMIT_PER_USERNAME": str(FAILED_LOGIN_LIMIT)}
    with gunicorn_server(workers=2, extra_env=env) as base_url:
        for _ in range(FAILED_LOGIN_LIMIT):
            assert error_body(get(f"{base_url}/v2", **aladdin.basic("a guess")), 401) == "Could not authenticate:"
        for _ in range(3):  # the right password, on whichever worker answers
            assert error_body(get(f"{base_url}/v2", **aladdin.basic(PASSWORD)), 429) == "Too many requests"


def test_a_suspension_is_seen_on_the_next_request(cluster_env, account):
    aladdin = account("aladdin")
    with gunicorn_server(workers=2, extra_env=cluster_env) as base_url:
        for _ in range(2):  # both workers, and Redis remembers the lookups
            for credentials in aladdin.schemes().values():
                assert get(f"{base_url}/v2", **credentials).status_code == 200
        code, output = manage("suspend", "aladdin", "--terms", env=cluster_env)
        assert code == 0, output
        for _ in range(2):
            for credentials in aladdin.schemes().values():
                assert error_body(get(f"{base_url}/v2", **credentials), 403) == "API Access is disabled"


def test_a_signed_request_is_accepted_once_across_two_instances(cluster_env, account):
    """The replay goes to the other instance with the first one's Host, as a load balancer forwards it, so
    its signature is good there: only the nonce store can refuse it."""
    aladdin = account("aladdin")
    app, token = aladdin.oauth1_app, aladdin.oauth1_token
    with gunicorn_server(workers=2, extra_env=cluster_env) as first, \
            gunicorn_server(workers=2, extra_env=cluster_env) as second:
        host = first.removeprefix("http://")

        def signed():
            signer = Client(app.client_key, client_secret=app.client_secret, resource_owner_key=token.key,
                            resource_owner_secret=token.secret)
            return signer.sign(f"{first}/v2", "GET")

        uri, headers, _ = signed()
        assert get(uri, headers=headers).status_code == 200
        replay = get(f"{second}/v2", headers={**headers, "Host": host})
        assert error_body(replay, 401) == "Could not authenticate:"
        assert get(f"{first}/v2", headers=headers).status_code == 401  # nor on the first again

        _, fresh, _ = signed()  # a new nonce through the second instance: its signature is good there
        assert get(f"{second}/v2", headers={**fresh, "Host": host}).status_code == 200


def test_the_cluster_spreads_keys_over_its_masters(cluster):
    """The harness itself: a real three-master cluster, every slot served."""
    client = RedisCluster.from_url(cluster.url)
    try:
        assert len(client.get_primaries()) == 3
        assert int(client.cluster_info()["cluster_slots_assigned"]) == 16384
    finally:
        client.close()
