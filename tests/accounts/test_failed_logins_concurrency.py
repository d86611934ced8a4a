"""Concurrent guesses cannot pass the failed-password limit together: each check is claimed and counted
in one atomic step, in Redis (a script) and in the database fallback (locked rows), so exactly the
limit's number of passwords is checked, never the limit plus the number of workers.

Each case runs on the store the run is configured with (Redis when REDIS_URL is set) and on the
database fallback (REDIS_URL blank: SQLite or PostgreSQL, whichever the run uses).
"""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth import authenticate
from django.core.cache import caches
from django.db import connections
from django.test import RequestFactory

from tests.factories import basic_header, make_consumer, make_user
from tests.servers import gunicorn_server

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT, GUESSES = 4, 24


@pytest.fixture(autouse=True)
def _database_counts_forgotten_after():
    """These tests commit (other threads and processes must see the rows), so the database cache
    table is not rolled back after them: its counts would reach the next test."""
    yield
    caches["database"].clear()


@pytest.fixture(params=["redis", "database"])
def store(request, settings):
    """The shared store the counts go to: Redis (only when the run has one) or the database."""
    if request.param == "redis" and not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: this run has no Redis")
    if request.param == "database":
        settings.REDIS_URL = ""
    return request.param


def all_at_once(work, count):
    """Run `work()` in `count` threads released together; their answers, in no particular order."""
    start = threading.Barrier(count)

    def one():
        start.wait()
        try:
            return work()
        finally:
            connections.close_all()  # each thread's own database connection

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: one(), range(count)))


def test_concurrent_wrong_passwords_get_exactly_the_limits_number_of_checks(store, settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = LIMIT
    settings.FAILED_LOGIN_WINDOW_SECONDS = 3600
    make_user("Aladdin", password="open sesame")

    def guess():
        request = RequestFactory().post("/login", REMOTE_ADDR="198.51.100.66")
        assert authenticate(request, username="Aladdin", password="a guess") is None
        return "cooling off" if getattr(request, "failed_login_cool_off", None) else "checked"

    answers = all_at_once(guess, GUESSES)
    assert answers.count("checked") == LIMIT, answers
    assert answers.count("cooling off") == GUESSES - LIMIT


def test_concurrent_basic_guesses_at_a_multi_worker_server_get_exactly_the_limit(store, settings):
    key = make_consumer(make_user("Aladdin", password="open sesame"))
    env = {"FAILED_LOGIN_LIMIT_PER_USERNAME": str(LIMIT), "FAILED_LOGIN_WINDOW_SECONDS": "3600",
           "REDIS_URL": settings.REDIS_URL}
    with gunicorn_server(workers=3, extra_env=env) as base_url:
        def guess():
            with requests.Session() as http:
                return http.get(f"{base_url}/v2", timeout=60, headers={
                    "Authorization": basic_header("Aladdin", "a guess"), "X-Client-Key": key.client_key,
                }).status_code

        answers = all_at_once(guess, GUESSES)
        assert sorted(answers) == [401] * LIMIT + [429] * (GUESSES - LIMIT), answers
