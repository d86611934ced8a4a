"""A nonce is claimed once, and never accepted again after the store forgets it: a claim refuses a
timestamp older than the answering Redis server's memory (its start, or a promotion since the client's
mark was written). Against a real Redis."""
import time

import pytest
from django.conf import settings as django_settings

from access.store.nonces import FORGOTTEN, FRESH, REPLAYED, ReplayGuard, nonce_claim, nonce_release
from tests.redis_commands import store_client, store_key

pytestmark = pytest.mark.skipif(not django_settings.REDIS_URL, reason="the memory mark is Redis's")


def guard(digest, timestamp):
    return ReplayGuard(kind="test-nonce", group="c:test-group", digest=digest, seconds=60, timestamp=timestamp)


def test_a_nonce_is_fresh_once_then_replayed_and_fresh_again_once_released():
    now = int(time.time())
    assert nonce_claim(guard("a" * 64, now)) == FRESH
    assert nonce_claim(guard("a" * 64, now)) == REPLAYED
    nonce_release(guard("a" * 64, now))
    assert nonce_claim(guard("a" * 64, now)) == FRESH


def test_after_a_failover_a_timestamp_from_before_it_is_refused():
    """The client's mark was written by another server (the master before a failover): this server may
    lack that server's last claims, so a request signed before it took over is refused; one signed
    after is not."""
    now = int(time.time())
    assert nonce_claim(guard("b" * 64, now)) == FRESH  # the mark now names this server
    store_client().set(store_key(guard("b" * 64, now).mark), f"{'f' * 40}:{now - 3600}")  # as a former master wrote it
    assert nonce_claim(guard("c" * 64, now - 5)) == FORGOTTEN
    assert nonce_claim(guard("d" * 64, now + 2)) == FRESH
    assert nonce_claim(guard("e" * 64, now - 5)) == FORGOTTEN  # the new mark keeps the moment it took over


def test_a_timestamp_from_before_the_server_started_is_refused():
    started = int(time.time()) - int(store_client().info("server")["uptime_in_seconds"])
    assert nonce_claim(guard("f" * 64, started - 10)) == FORGOTTEN
