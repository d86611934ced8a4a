"""A real multi-worker server (gunicorn) on the test database, for tests that cross processes."""
import os
import shlex
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import redis
import requests
from django.conf import settings
from django.db import connection

from bench.port import free_port  # noqa: F401 - also the tests' spare loopback port

PROJECT_DIR = Path(__file__).resolve().parent.parent


def past_the_second_it_started():
    """Wait for the next whole second: a Redis refuses a signed request whose timestamp is the second it
    started in (whole seconds: that request may have come before it), as after any restart."""
    time.sleep(1.01 - time.time() % 1)


def redis_server(port, *options, password=None):
    """A private redis-server on 127.0.0.1:`port` that keeps nothing on disk, answering PING when it is
    returned (`options`: more of its command line); the caller stops the process."""
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", *options], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port, password=password)
    for _ in range(100):
        try:
            client.ping()
            past_the_second_it_started()
            return process
        except redis.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("private redis-server did not start")


def test_database_url():
    """The URL of the database the tests are using right now (the test database, not the real one)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@contextmanager
def gunicorn_server(workers=2, extra_env=None):
    """Yield the base URL of gunicorn serving this project on a spare loopback port."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "apiproject.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]
    with _serving(command, port, extra_env or {}) as base_url:
        yield base_url


@contextmanager
def _serving(command, port, env, **popen):
    """Run `command` on the test database and this run's Redis until the block ends; yield its URL."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "apiproject.settings_test",
           "DATABASE_URL": test_database_url(), "REDIS_URL": settings.REDIS_URL, **env}
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, **popen)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, process)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_serving(base_url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            requests.get(f"{base_url}/v2/status", timeout=5)
            return
        except requests.RequestException:  # not listening yet, or a worker still booting
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def dev_server_command(port):
    """The command line `make run` serves with (from `make -n run`), on `port` instead of 8000."""
    dry_run = subprocess.run(["make", "-n", "run"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    line = next(line for line in dry_run.stdout.splitlines() if "gunicorn" in line and "--reload" in line)
    words = shlex.split(line.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
    env = dict(word.split("=", 1) for word in words if "=" in word and not word.startswith("-"))
    return env, [word for word in words if word not in {f"{k}={v}" for k, v in env.items()}]


@contextmanager
def dev_server(extra_env=None):
    """Yield the base URL of the server `make run` starts (DEBUG on), on the test database."""
    port = free_port()
    make_env, command = dev_server_command(port)
    with _serving(command, port, {**make_env, **(extra_env or {})}, stdout=subprocess.DEVNULL) as base_url:
        yield base_url
