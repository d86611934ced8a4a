"""The shared cache (Redis) down or hung: limits still hold, answers still come quickly, and a staff
change that cannot reach the cache is not reported as made.

docs/contract.md, "Rate limits and failed sign-ins": the counts "hold when Redis is unreachable"; and
"Accounts": "A change that cannot reach the shared store fails and changes nothing: it never reports
success while a cached copy keeps the old state in force."

Each test starts its own redis-server on a spare port (the shared one is never touched) and gunicorn
with two workers pointed at it. "Hung" is a redis-server paused with SIGSTOP: it still accepts
connections but never answers, which is what a stuck or partitioned Redis looks like to a client.
"""
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import requests
from django.contrib.auth import get_user_model
from requests_oauthlib import OAuth1

from accounts.models import AccountState, AccountStateChange
from accounts.policy import account_state
from accounts.services import account_charge
from tests import servers  # test_database_url by name would be collected
from tests.factories import basic_header, make_access_token, make_consumer, make_user
from tests.faults.test_redis_outage import PrivateRedis
from tests.servers import PROJECT_DIR, gunicorn_server

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]

PASSWORD = "open sesame"
ANSWER_WITHIN = 1.0  # seconds, for every request while Redis hangs
CLIENT_TIMEOUT = 5  # seconds requests waits before calling it no answer at all
COMMAND_TIMEOUT = 10  # seconds for `manage.py suspend` (Django's start-up included)


class PausableRedis(PrivateRedis):
    """The private redis-server, which can also hang (SIGSTOP) and come back (SIGCONT)."""

    paused_now = False

    def pause(self):
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused_now = True

    def resume(self):
        if self.paused_now:
            os.kill(self.process.pid, signal.SIGCONT)
            self.paused_now = False

    @contextmanager
    def paused(self):
        """Hung for the block, answering again after it, even when the block fails: a test's server
        with workers stuck on a hung Redis would not shut down in time."""
        self.pause()
        try:
            yield
        finally:
            self.resume()


@pytest.fixture
def shared_cache():
    server = PausableRedis()
    server.start()
    try:
        yield server
    finally:
        server.resume()  # never leave a stopped process behind
        if server.process.poll() is None:
            server.stop()


@pytest.fixture
def account():
    """Aladdin and his client key."""
    user = make_user("Aladdin", password=PASSWORD)
    account_charge(user=user, amount="10")  # so that a billing lock has something to lock for
    return user, make_consumer(user)


def basic(key, password=PASSWORD):
    return {"Authorization": basic_header("Aladdin", password), "X-Client-Key": key.client_key}


def timed_get(url, **kwargs):
    """(response, seconds taken); a request that gets no answer at all fails the test."""
    started = time.monotonic()
    try:
        response = requests.get(url, timeout=CLIENT_TIMEOUT, **kwargs)
    except requests.Timeout:
        response = None
    if response is None:  # failed outside the handler: the transport's traceback says nothing more
        pytest.fail(f"GET {url}: no answer within {CLIENT_TIMEOUT} s")
    return response, time.monotonic() - started


def answered_quickly(url, expected, **kwargs):
    """The answer came within ANSWER_WITHIN seconds with one of the `expected` statuses."""
    response, took = timed_get(url, **kwargs)
    assert took < ANSWER_WITHIN, f"GET {url} took {took:.2f} s while Redis hung"
    assert response.status_code in expected, (response.status_code, response.text)
    return response


def error_message(response):
    body = response.json()
    assert set(body) >= {"status", "message", "additional", "reference"}
    assert body["status"] == response.status_code
    return body["message"]


def command_env(redis_url):
    """The environment the servers get (tests/servers.py): the same database and the same Redis."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "apiproject.settings_test",
            "DATABASE_URL": servers.test_database_url(), "REDIS_URL": redis_url}


def manage(*args, redis_url):
    """Run `manage.py` as staff would: (exit code, stdout and stderr together)."""
    try:
        finished = subprocess.run([sys.executable, "manage.py", *args], check=False, cwd=PROJECT_DIR,
                                  env=command_env(redis_url), capture_output=True, text=True,
                                  timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired as expired:
        finished = expired
    if isinstance(finished, subprocess.TimeoutExpired):
        pytest.fail(f"manage.py {' '.join(args)} did not finish within {COMMAND_TIMEOUT} s; "
                    f"its output so far: {finished.output!r} {finished.stderr!r}")
    return finished.returncode, finished.stdout + finished.stderr


# --- Redis down: the failed-password limit does not fail open --------------------------------------


def test_failed_password_limit_holds_with_redis_stopped(shared_cache, account):
    _, key = account
    env = {"REDIS_URL": shared_cache.url, "FAILED_LOGIN_LIMIT_PER_USERNAME": "3"}
    with gunicorn_server(workers=2, extra_env=env) as base_url:
        assert requests.get(f"{base_url}/v2", headers=basic(key), timeout=30).status_code == 200
        shared_cache.stop()

        for _ in range(3):
            guess = requests.get(f"{base_url}/v2", headers=basic(key, "a guess"), timeout=30)
            assert guess.status_code == 401, guess.text
        for _ in range(3):  # the right password, on whichever worker answers
            refused = requests.get(f"{base_url}/v2", headers=basic(key), timeout=30)
            assert refused.status_code == 429, refused.text
            assert error_message(refused) == "Too many requests"
            assert refused.headers["Retry-After"].isdigit() and int(refused.headers["Retry-After"]) >= 1


# --- Redis hung: every request still gets an answer, quickly --------------------------------------


def test_every_request_answers_within_a_second_while_redis_hangs(shared_cache, account):
    user, key = account
    token = make_access_token(key, user)

    def oauth():  # a fresh nonce and timestamp on every request
        return OAuth1(key.client_key, key.client_secret, token.key, token.secret)

    with gunicorn_server(workers=2, extra_env={"REDIS_URL": shared_cache.url}) as base_url:
        v2, products, health = f"{base_url}/v2", f"{base_url}/v2/products", f"{base_url}/v2/status"
        # Warm: the workers hold connections to Redis and Redis holds their lookups.
        for _ in range(2):
            assert requests.get(v2, headers=basic(key), timeout=30).status_code == 200
            assert requests.get(products, auth=oauth(), timeout=30).status_code == 200
        assert requests.get(health, timeout=30).status_code == 200

        with shared_cache.paused():
            answered_quickly(v2, {200}, headers=basic(key))  # from the database
            signed = answered_quickly(products, {200, 503}, auth=oauth())
            if signed.status_code == 503:  # the nonce store may refuse rather than wait
                assert error_message(signed) == "Service Unavailable"
            status = answered_quickly(health, {503}).json()
            assert (status["cache"], status["database"]) == ("unreachable", "ok")
            wrong = answered_quickly(v2, {401}, headers=basic(key, "a guess"))
            assert error_message(wrong) == "Could not authenticate:"
            for _ in range(5):
                answered_quickly(v2, {200}, headers=basic(key))

        assert [requests.get(v2, headers=basic(key), timeout=30).status_code for _ in range(4)] == [200] * 4
        assert [requests.get(products, auth=oauth(), timeout=30).status_code for _ in range(4)] == [200] * 4
        assert requests.get(health, timeout=30).status_code == 200


# --- Redis hung: a staff change is not reported as made ---------------------------------------------


def test_suspend_while_redis_hangs_fails_and_changes_nothing_then_works_once_redis_answers(
        shared_cache, account):
    user, key = account

    def statuses(n=4):
        responses = [requests.get(f"{base_url}/v2", headers=basic(key), timeout=30) for _ in range(n)]
        return [(response.status_code, response.json().get("message")) for response in responses]

    with gunicorn_server(workers=2, extra_env={"REDIS_URL": shared_cache.url}) as base_url:
        assert statuses() == [(200, None)] * 4  # both workers; Redis remembers the key and its owner

        with shared_cache.paused():
            code, output = manage("suspend", "Aladdin", "--billing", redis_url=shared_cache.url)
        assert code != 0, f"suspend reported success while the shared cache hung:\n{output}"
        assert "cache" in output.lower(), output
        assert "api access is now" not in output.lower(), output
        fresh = get_user_model().objects.get(pk=user.pk)
        assert account_state(fresh) == AccountState.ACTIVE
        assert not AccountStateChange.objects.filter(user=user).exists()
        assert statuses() == [(200, None)] * 4  # the old state, consistently, and nobody was told otherwise

        code, output = manage("suspend", "Aladdin", "--billing", redis_url=shared_cache.url)
        assert code == 0, output
        assert "API access is now locked" in output
        assert statuses(6) == [(403, "No API Access")] * 6  # the very next request, on every worker
