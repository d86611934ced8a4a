"""The redis-py client for each topology (access/store/redis_client.py), against real servers: one server over
mutual TLS with an ACL user, a Sentinel group through a failover, a three-master Cluster whose slots move."""
import os
import signal
import time

import pytest
import redis
from redis.cluster import RedisCluster
from redis.connection import SSLConnection

from access.store.redis_client import ERRORS, make_client
from tests.redis_servers import ClusterGroup, MutualTlsRedis, PlainRedis, SentinelGroup, missing_binaries

TIMEOUT = 0.3  # SHARED_CACHE_TIMEOUT_SECONDS in these tests


@pytest.fixture
def topology(settings):
    """Point the settings at a deployment's `env` (as the service's environment would)."""
    settings.SHARED_CACHE_TIMEOUT_SECONDS = TIMEOUT

    def use(env):
        settings.REDIS_URL = env["REDIS_URL"]
        settings.REDIS_TOPOLOGY = env.get("REDIS_TOPOLOGY", "server")
        settings.REDIS_SENTINELS = tuple(
            (host, int(port)) for host, port in (item.rsplit(":", 1) for item in env["REDIS_SENTINELS"].split(","))
        ) if env.get("REDIS_SENTINELS") else ()
        settings.REDIS_SENTINEL_USERNAME = env.get("REDIS_SENTINEL_USERNAME", "")
        settings.REDIS_SENTINEL_PASSWORD = env.get("REDIS_SENTINEL_PASSWORD", "")
        return make_client()
    return use


def skip_without(*binaries):
    reason = missing_binaries(*binaries)
    if reason:
        pytest.skip(reason)


def test_no_redis_url_means_no_client(settings):
    settings.REDIS_URL = ""
    assert make_client() is None


def test_replies_are_parsed_by_hiredis(topology):
    client = topology({"REDIS_URL": "redis://127.0.0.1:1/0"})
    connection = client.connection_pool.make_connection()
    assert type(connection._parser).__name__ == "_HiredisParser"


def test_a_hung_server_costs_a_call_one_timeout_and_no_retry(tmp_path, topology):
    skip_without("redis-server")
    with PlainRedis(tmp_path, password="pw") as server:
        client = topology(server.env)
        assert client.ping()
        os.kill(server.server.process.pid, signal.SIGSTOP)  # accepts connections, never answers
        try:
            started = time.monotonic()
            with pytest.raises(redis.TimeoutError):
                client.get("anything")
            took = time.monotonic() - started
        finally:
            os.kill(server.server.process.pid, signal.SIGCONT)
        assert TIMEOUT * 0.9 <= took < TIMEOUT * 1.8, took
        server.restart()  # empty, on the same port: the same client uses it again
        assert client.set("again", "1") and client.get("again") == b"1"


def test_a_resp3_connection_skips_the_maintenance_handshake(tmp_path, topology):
    """redis-py's maintenance notices are off: no extra round trip per new connection (which Redis 7
    refuses), and no reads stretched to 10 s while a server says it is moving."""
    skip_without("redis-server")
    with PlainRedis(tmp_path, password="pw") as server:
        url = f"{server.url}?protocol=3"
        client = topology({"REDIS_URL": url})
        assert not client.connection_pool.maint_notifications_enabled()

        def refusals_on_connecting(connecting):
            admin = server.client()
            admin.config_resetstat()
            connecting.ping()
            count = admin.info("errorstats").get("errorstat_ERR", {}).get("count", 0)
            admin.close()
            return count

        assert refusals_on_connecting(client) < refusals_on_connecting(redis.Redis.from_url(url))


def test_mutual_tls_with_an_acl_user_and_only_with_our_client_certificate(tmp_path, topology):
    skip_without("redis-server")
    with MutualTlsRedis(tmp_path) as server:
        client = topology(server.env())
        assert client.acl_whoami() == "app"
        assert client.set("over-tls", "1") and client.get("over-tls") == b"1"

        stranger = topology(server.env(server.wrong_client_certificate))
        with pytest.raises(redis.ConnectionError):
            stranger.ping()


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "mutual-tls"])
def test_sentinel_follows_the_master_through_a_failover_with_the_same_client(tmp_path, topology, tls):
    """With mutual TLS the sentinels, as the master, accept only our client certificate: the client reaches
    both with the URL's TLS options."""
    skip_without("redis-server", "redis-sentinel")
    with SentinelGroup(tmp_path, tls=tls) as group:
        client = topology(group.env)
        assert client.set("before", "1")
        first = group.master_address()
        assert client.connection_pool.master_address == first
        group.wait_until_replicated()
        group.kill_master()

        failures, deadline = 0, time.monotonic() + 20
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                client.set("after", "1")
                break
            except ERRORS:
                failures += 1
                assert time.monotonic() - started < 4 * TIMEOUT  # the sentinels are asked, each call fails fast
                time.sleep(0.1)
        else:
            pytest.fail("the client never reached the new master")
        assert failures >= 1
        assert client.connection_pool.master_address == group.master_address() != first
        assert client.get("before") == b"1"  # replicated before the failover


def test_sentinels_are_reached_with_the_urls_tls_options_and_their_own_credentials(topology):
    client = topology({
        "REDIS_URL": "rediss://app:pw@mymaster/2?ssl_ca_certs=/etc/redis/ca.pem&ssl_certfile=/etc/app.crt"
                     "&ssl_keyfile=/etc/app.key&ssl_min_version=771",
        "REDIS_TOPOLOGY": "sentinel", "REDIS_SENTINELS": "10.0.0.1:26379,10.0.0.2:26380",
        "REDIS_SENTINEL_USERNAME": "watcher", "REDIS_SENTINEL_PASSWORD": "sentinel pw",
    })
    tls = {"ssl_ca_certs": "/etc/redis/ca.pem", "ssl_certfile": "/etc/app.crt", "ssl_keyfile": "/etc/app.key",
           "ssl_min_version": 771}
    master = client.connection_pool
    assert issubclass(master.connection_class, SSLConnection)
    assert master.connection_kwargs.items() >= {**tls, "username": "app", "password": "pw", "db": 2}.items()
    sentinels = master.sentinel_manager.sentinels
    assert [(s.connection_pool.connection_kwargs["host"], s.connection_pool.connection_kwargs["port"])
            for s in sentinels] == [("10.0.0.1", 26379), ("10.0.0.2", 26380)]
    for sentinel in sentinels:
        assert sentinel.connection_pool.connection_class is SSLConnection
        assert sentinel.connection_pool.connection_kwargs.items() >= {
            **tls, "username": "watcher", "password": "sentinel pw", "db": 0,
            "socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT}.items()
        assert sentinel.get_retry().get_retries() == 0


def test_sentinels_requiring_a_password_refuse_a_client_without_it(tmp_path, topology):
    skip_without("redis-server", "redis-sentinel")
    with SentinelGroup(tmp_path) as group:
        client = topology({**group.env, "REDIS_SENTINEL_PASSWORD": ""})
        with pytest.raises(redis.ConnectionError, match="No master found"):
            client.ping()


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "mutual-tls"])
def test_cluster_follows_a_slot_as_it_moves_ask_then_moved(tmp_path, topology, tls):
    """Keys spread over the three masters; a slot moved behind the client's back (as `redis-cli --cluster
    reshard` moves it) is followed while it migrates (ASK) and after (MOVED), with no retries allowed. Over
    mutual TLS, every node the client learns of is reached with the URL's TLS options and ACL user."""
    skip_without("redis-server", "redis-cli")
    with ClusterGroup(tmp_path, tls=tls) as cluster:
        client = topology(cluster.env)
        assert isinstance(client, RedisCluster)
        keys = [f"key-{number}" for number in range(30)]
        for key in keys:
            client.set(key, key)
        assert len({client.get_node_from_key(key).name for key in keys}) == 3
        assert [client.get(key) for key in keys] == [key.encode() for key in keys]

        key = "moving-key"
        client.set(key, "here")
        slot = client.keyslot(key)
        nodes = {node.port: node for node in cluster.nodes}
        source = nodes[client.get_node_from_key(key).port]
        target = next(node for node in cluster.nodes if node is not source)
        source_client, target_client = source.client(), target.client()
        source_id, target_id = (c.execute_command("CLUSTER", "MYID").decode() for c in (source_client, target_client))

        target_client.execute_command("CLUSTER", "SETSLOT", slot, "IMPORTING", source_id)
        source_client.execute_command("CLUSTER", "SETSLOT", slot, "MIGRATING", target_id)
        source_client.execute_command("MIGRATE", "127.0.0.1", target.port, "", 0, 5000,
                                      "AUTH2", cluster.USERNAME, cluster.PASSWORD, "KEYS", key)
        assert client.get(key) == b"here"  # the source answers ASK: asked at the target
        for node_client in (target_client, source_client):
            node_client.execute_command("CLUSTER", "SETSLOT", slot, "NODE", target_id)
        assert client.get(key) == b"here"  # the source answers MOVED: the slot map is updated
        assert client.get_node_from_key(key).port == target.port
        source_client.close()
        target_client.close()


def test_a_hung_cluster_node_costs_a_call_about_one_timeout(tmp_path, topology):
    skip_without("redis-server", "redis-cli")
    with ClusterGroup(tmp_path) as cluster:
        client = topology(cluster.env)
        keys = {client.get_node_from_key(f"key-{n}").port: f"key-{n}" for n in range(30)}
        for key in keys.values():
            client.set(key, "1")
        hung = next(node for node in cluster.nodes if node.port != cluster.nodes[0].port)
        os.kill(hung.process.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            with pytest.raises(ERRORS):
                client.get(keys[hung.port])
            took = time.monotonic() - started
            # The other masters still answer (the cluster calls the hung one failed only after 2 s).
            other = next(key for port, key in keys.items() if port != hung.port)
            assert client.get(other) == b"1"
        finally:
            os.kill(hung.process.pid, signal.SIGCONT)
        assert took < TIMEOUT * 1.8, took
