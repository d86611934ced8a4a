"""Many requests at once, for the limits that must hold under concurrency: each case runs on the store the
run is configured with (Redis when REDIS_URL is set) and on the database fallback (REDIS_URL blank).
A plugin of the test run (`tests/conftest.py`): its fixtures are everyone's."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.db import connections


@pytest.fixture(params=["redis", "database"])
def store(request, settings):
    """The shared store the counts go to: Redis (only when the run has one) or the database.

    Tests that use it commit (other threads and processes must see the rows), so the database cache
    table is not rolled back after them: it is emptied, or its counts would reach the next test."""
    if request.param == "redis" and not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: this run has no Redis")
    if request.param == "database":
        settings.REDIS_URL = ""
    yield request.param
    caches["database"].clear()


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
