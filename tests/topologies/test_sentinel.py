"""Redis Sentinel: a master, its replica and three sentinels (requiring their own password). The master is
killed while clients call; the service answers 503 in the guide's body (never 500) while the sentinels fail
over, then 200 again from the promoted replica, without a restart. A rate limit spent and an account suspended
before the failover still hold after it; a suspension after it is seen on the next request."""
import threading
import time

import pytest

from consumers.oauth1.nonces import FORGOTTEN
from tests.redis_servers import SentinelGroup
from tests.servers import gunicorn_server
from tests.topologies.conftest import error_body, get, manage, skip_unless_installed, spend_budget

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

RATE_BUDGET = 400  # API_RATE_LIMIT per client key, per day: the traffic below stays well under it
RECOVERS_WITHIN = 20  # seconds from the kill to 200s again (the failover itself takes about 3)


@pytest.fixture
def sentinel_group(tmp_path):
    skip_unless_installed("redis-server", "redis-sentinel")
    with SentinelGroup(tmp_path) as group:
        yield group


class Traffic(threading.Thread):
    """Calls with every scheme, one after another, until stopped: (seconds since start, scheme, response)."""

    def __init__(self, base_url, account):
        super().__init__(daemon=True)
        self.base_url, self.account = base_url, account
        self.answers, self.stopping = [], threading.Event()
        self.started_at = time.monotonic()

    def run(self):
        while not self.stopping.is_set():
            for scheme, credentials in self.account.schemes().items():
                self.answers.append((time.monotonic() - self.started_at, scheme,
                                     get(f"{self.base_url}/v2", **credentials)))
            time.sleep(0.05)

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


def test_the_master_killed_during_traffic_503s_while_failing_over_then_200s_and_limits_hold(
        sentinel_group, account):
    aladdin, spender, bob, carol = (account(name) for name in ("aladdin", "spender", "bob", "carol"))
    env = {**sentinel_group.env, "API_RATE_LIMIT": f"{RATE_BUDGET}/day"}
    with gunicorn_server(workers=2, extra_env=env) as base_url:
        for credentials in aladdin.schemes().values():
            assert get(f"{base_url}/v2", **credentials).status_code == 200
        # Before: the spender's key spends its budget, bob is suspended.
        spend_budget(f"{base_url}/v2", spender.basic(), RATE_BUDGET)
        code, output = manage("suspend", "bob", "--terms", env=env)
        assert code == 0, output
        assert error_body(get(f"{base_url}/v2", **bob.basic()), 403) == "API Access is disabled"
        sentinel_group.wait_until_replicated()

        traffic = Traffic(base_url, aladdin)
        traffic.start()
        time.sleep(0.5)
        killed = sentinel_group.kill_master()
        killed_at = time.monotonic() - traffic.started_at
        sentinel_group.wait_for_master_other_than(killed.port)
        deadline = time.monotonic() + RECOVERS_WITHIN
        while time.monotonic() < deadline:  # until every scheme has answered 200 since the promotion
            time.sleep(0.5)
            recent = [(scheme, response.status_code) for _, scheme, response in traffic.answers[-6:]]
            if len(recent) == 6 and all(status == 200 for _, status in recent):
                break
        traffic.stop()

        answers = traffic.answers
        statuses = {response.status_code for _, _, response in answers}
        assert statuses <= {200, 401, 503}, statuses  # never a 500, never a wrong refusal
        for at, scheme, response in answers:
            if response.status_code == 401:  # signed before the promoted master took over: it may lack that nonce
                assert scheme == "oauth1" and at > killed_at, (scheme, response.text)
                assert response.json()["additional"] == FORGOTTEN, response.text
        during = [response for at, scheme, response in answers if at > killed_at and response.status_code == 503]
        assert during, "signed requests need the nonce store: some must have been refused while it failed over"
        for response in during:
            assert error_body(response, 503) == "Service Unavailable"
        after = [(scheme, response.status_code) for _, scheme, response in answers[-6:]]
        assert after == [(scheme, 200) for scheme in ("basic", "oauth1", "bearer")] * 2, after

        # After: the same gunicorn, on the promoted replica.
        assert error_body(get(f"{base_url}/v2", **spender.basic()), 429) == "Too many requests"
        assert error_body(get(f"{base_url}/v2", **bob.basic()), 403) == "API Access is disabled"
        assert error_body(get(f"{base_url}/v2", **bob.oauth1()), 403) == "API Access is disabled"
        for credentials in carol.schemes().values():
            assert get(f"{base_url}/v2", **credentials).status_code == 200
        code, output = manage("suspend", "carol", "--terms", env=env)
        assert code == 0, output
        for credentials in carol.schemes().values():
            assert error_body(get(f"{base_url}/v2", **credentials), 403) == "API Access is disabled"
        status = get(f"{base_url}/v2/status")
        assert status.status_code == 200 and status.json()["cache"] == "ok", status.text
