"""The Redis each `make bench` topology runs against, and the CPU that Redis has used so far.

A topology's Redis is started for the run on spare loopback ports, with the tests' harness
(`tests/redis_servers.py`): one redis-server for `server`, three masters for `cluster`. Private, so
that its CPU counters count the bench's requests and nobody else's.
"""
import os
from contextlib import contextmanager

import redis

from tests.redis_servers import ClusterGroup, PlainRedis, missing_binaries

TOPOLOGIES = ("server", "cluster")
HOST = "127.0.0.1"

# The fallback when redis-server is not installed: the Redis on 127.0.0.1:6379, in its own db, as before
# the bench started its own. Its counters then include every other client of that Redis.
SHARED_REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "2"))
SHARED_REDIS_FLUSH = os.environ.get("BENCH_REDIS_FLUSH", "1") == "1"


class BenchStore:
    """What a topology's run needs of its Redis: the service's environment (`env`), a line saying what it
    is (`description`), and `cpu_seconds()`, the CPU its processes have used so far."""

    def __init__(self, env, description, clients):
        self.env, self.description, self.clients = env, description, clients

    def cpu_seconds(self):
        """`used_cpu_sys` + `used_cpu_user` of `INFO cpu` (the whole process: main thread, I/O threads and
        background jobs), added up over every node; None without Redis."""
        if not self.clients:
            return None
        total = 0.0
        for client in self.clients:
            cpu = client.info("cpu")
            total += float(cpu["used_cpu_sys"]) + float(cpu["used_cpu_user"])
        return total

    def close(self):
        for client in self.clients:
            client.close()


@contextmanager
def bench_store(topology, directory):
    """The store of a topology's run, started in `directory` and stopped after; None when this machine
    cannot run it (the reason printed)."""
    if topology == "cluster":
        reason = missing_binaries("redis-server", "redis-cli")
        if reason:
            print(f"cluster: skipped ({reason})", flush=True)
            yield None
            return
        with ClusterGroup(directory) as cluster:
            ports = ", ".join(str(node.port) for node in cluster.nodes)
            description = f"a Redis Cluster of 3 masters on {HOST}, ports {ports} (started for the bench)"
            store = BenchStore(cluster.env, description, [node.client() for node in cluster.nodes])
            try:
                yield store
            finally:
                store.close()
        return
    if missing_binaries("redis-server"):
        yield shared_store()
        return
    with PlainRedis(directory) as server:
        store = BenchStore(server.env, f"one redis-server on {HOST}:{server.server.port} (started for the bench)",
                           [server.client()])
        try:
            yield store
        finally:
            store.close()


def shared_store(flush=SHARED_REDIS_FLUSH):
    """The Redis on 127.0.0.1:6379 (its db emptied first if `flush`), else the database."""
    url = f"redis://{HOST}:6379/{SHARED_REDIS_DB}"
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        if flush:
            client.flushdb()
        else:
            client.ping()
    except redis.RedisError as error:
        client.close()
        print(f"Redis not reachable ({error.__class__.__name__}); shared state in the database", flush=True)
        return BenchStore({}, "the database (no Redis)", [])
    return BenchStore({"REDIS_URL": url, "REDIS_TOPOLOGY": "server"},
                      f"the Redis on {HOST}:6379 db {SHARED_REDIS_DB} (shared: its CPU counters include its "
                      "other clients)", [client])
