"""The redis-py client for the configured Redis topology, so every call (requests and the health check
alike) reads `REDIS_URL` the one way redis-py does: TLS and client certificates, ACL users, RESP3.

`REDIS_TOPOLOGY` says how that Redis is deployed: `server` (one server at `REDIS_URL`), `sentinel` (the
master of the service `REDIS_URL` names, found through `REDIS_SENTINELS` and followed through a
failover) or `cluster` (`REDIS_URL` is one node; the client finds the others and follows the slots).
Every call waits at most `SHARED_CACHE_TIMEOUT_SECONDS` to connect and to read, and is not retried: a
failed call errors at once and the next one connects again (with Sentinel, to the master the sentinels
name then). Replies are parsed by hiredis, which redis-py picks by itself when it is installed.
"""
import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.cluster import RedisCluster
from redis.connection import SSLConnection, parse_url
from redis.exceptions import RedisClusterException
from redis.maint_notifications import MaintNotificationsConfig
from redis.retry import Retry
from redis.sentinel import Sentinel

# Every error a call through the client raises when Redis fails. A Cluster client raises
# RedisClusterException, which is not a RedisError, when it can reach no node to learn the slots from:
# when it is made, and when a call fails and the client asks again where the slots are.
ERRORS = (redis.RedisError, RedisClusterException)


def make_client():
    """A new client for the settings as they are now, or None when `REDIS_URL` is unset (no Redis).

    A server's or Sentinel's client connects on its first call; a Cluster's asks the node in the URL
    for the slots while it is made, so making one raises one of `ERRORS` when the cluster cannot be
    reached (make it again later).
    """
    url = settings.REDIS_URL
    if not url:
        return None
    timeout = settings.SHARED_CACHE_TIMEOUT_SECONDS
    timeouts = {
        "socket_timeout": timeout, "socket_connect_timeout": timeout,
        # Off: with RESP3, redis-py would ask each new connection for maintenance notices (a round trip
        # that Redis before 8 refuses) and stretch every read to 10 s while a server says it is moving.
        "maint_notifications_config": MaintNotificationsConfig(enabled=False),
    }
    topology = settings.REDIS_TOPOLOGY
    if topology == "cluster":
        # Redirections (MOVED, ASK) are followed inside one attempt, whatever the retries say, so a
        # slot that moved costs a hop, not an error. A node that fails or times out makes the client
        # ask the other nodes where the slots are now (the next call goes there, to a replica promoted
        # in its place) but the call is not tried again: a dead node's slots still point at it until
        # a replica takes over, so a retry would only wait another timeout. One timeout per call, at
        # most; the nodes' own connections are never retried (redis-py refuses a `retry` for them).
        return RedisCluster.from_url(url, retry=Retry(NoBackoff(), 0), **timeouts)
    no_retry = {"retry": Retry(NoBackoff(), 0)}
    if topology == "sentinel":
        return _sentinel_master(url, {**timeouts, **no_retry})
    return redis.Redis.from_url(url, **timeouts, **no_retry)


def _sentinel_master(url, call_options):
    """The client of the master of the service named by the URL's host, found through the sentinels.

    The URL's scheme, credentials, database and options are the master's; the sentinels are reached
    with the same TLS options (a `rediss://` URL) and their own credentials, if any.
    """
    options = parse_url(url)
    service = options.pop("host")
    # The connection class comes from the Sentinel pool (which also follows the master); `ssl` picks
    # its TLS variant.
    tls = options.pop("connection_class", None) is SSLConnection
    tls_options = {name: value for name, value in options.items() if name.startswith("ssl_")}
    sentinel_options = {**call_options, **({"ssl": True, **tls_options} if tls else {})}
    if settings.REDIS_SENTINEL_USERNAME:
        sentinel_options["username"] = settings.REDIS_SENTINEL_USERNAME
    if settings.REDIS_SENTINEL_PASSWORD:
        sentinel_options["password"] = settings.REDIS_SENTINEL_PASSWORD
    sentinels = Sentinel(list(settings.REDIS_SENTINELS), sentinel_kwargs=sentinel_options)
    return sentinels.master_for(service, ssl=tls, **options, **call_options)

