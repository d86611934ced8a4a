"""PostgreSQL restarted under load: requests fail with a JSON 503 (never a 500 or a hang) and the
service recovers on its own, without restarting gunicorn.

The test runs its own PostgreSQL cluster on a spare port (as the `postgres` user, in a temporary
folder); the shared one is never touched.
"""
import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.factories import basic_header
from tests.servers import PROJECT_DIR, free_port, gunicorn_server

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(not BIN or not shutil.which("runuser") or os.geteuid() != 0,
                                reason="needs PostgreSQL server binaries and root (to run them as postgres)")
PASSWORD = "open sesame"


class PrivatePostgres:
    def __init__(self):
        self.bin = Path(BIN[-1])
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.as_postgres(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def as_postgres(self, *command):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def pg_ctl(self, action, *extra):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.as_postgres(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-w", "-m", "fast", action, *extra)

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    server.pg_ctl("start")
    yield server
    server.remove()


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True,
                   capture_output=True, timeout=300)


def test_requests_fail_with_503_while_postgres_restarts_and_recover_on_their_own(private_postgres):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "apiproject.settings_test",
           "DATABASE_URL": private_postgres.url, "REDIS_URL": ""}
    manage(env, "migrate", "--no-input")
    manage(env, "shell", "-c", f"from django.contrib.auth.models import User; "
                               f"User.objects.create_user('Aladdin', password='{PASSWORD}')")
    key = subprocess.run([sys.executable, "manage.py", "createconsumer", "Aladdin", "--name", "load", "--json"],
                         cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True).stdout
    client_key = __import__("json").loads(key)["client_key"]
    headers = {"Authorization": basic_header("Aladdin", PASSWORD), "X-Client-Key": client_key}

    statuses, stop = [], threading.Event()
    with gunicorn_server(workers=2, extra_env={"DATABASE_URL": private_postgres.url, "REDIS_URL": ""}) as base:
        def load():
            with requests.Session() as http:
                while not stop.is_set():
                    try:
                        response = http.get(f"{base}/v2/products", headers=headers, timeout=20)
                        body = response.json()
                        statuses.append(response.status_code)
                        assert set(body) >= {"status", "message", "additional", "reference"} or "results" in body
                    except requests.ConnectionError:
                        statuses.append("connection error")
                    time.sleep(0.01)

        thread = threading.Thread(target=load)
        thread.start()
        try:
            time.sleep(1.5)
            private_postgres.pg_ctl("stop")
            time.sleep(1.5)
            private_postgres.pg_ctl("start")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and statuses[-5:] != [200] * 5:
                time.sleep(0.2)
        finally:
            stop.set()
            thread.join(timeout=30)

    assert 200 in statuses[:10], statuses[:10]
    assert 503 in statuses, "the outage should have been answered with 503"
    assert set(statuses) <= {200, 503}, sorted(set(map(str, statuses)))
    assert statuses[-5:] == [200] * 5, "the service should recover without a restart"
