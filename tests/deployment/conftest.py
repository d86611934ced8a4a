"""The production stack for the deployment tests (deploy/stack.py): nginx with TLS in front of two gunicorn
instances, on this run's PostgreSQL test database and Redis, started once for the module."""
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from requests.adapters import HTTPAdapter

from deploy.stack import nginx_binary, production_env, stack_running
from tests import factories
from tests.servers import test_database_url

# Small on purpose, and the same for every test in the module: the stack starts once.
WORKERS_PER_INSTANCE = 2
RATE_BUDGET = 10  # API_RATE_LIMIT, per client key
FAILED_LOGIN_LIMIT = 3  # FAILED_LOGIN_LIMIT_PER_USERNAME: the guesser's wrong passwords for one username
FAILED_LOGIN_LIMIT_PER_ADDRESS = 6  # FAILED_LOGIN_LIMIT_PER_IP
REQUEST_TIMEOUT_SECONDS = 30


@pytest.fixture(scope="module")
def stack(django_db_setup):
    """The running stack; skipped (with the reason) unless this run has PostgreSQL and Redis."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the deployment needs PostgreSQL and Redis (DATABASE_URL=postgres://..., REDIS_URL=redis://...); "
                    "this run has " + ("SQLite" if connection.vendor == "sqlite" else "no Redis"))
    if nginx_binary() is None:
        pytest.skip("nginx is not installed: `make nginx` or `apt-get install nginx`")
    env = production_env(
        os.environ,
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        # This run's prefix: the suite's own clean-up between tests covers the instances' keys too.
        CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
        SECRET_KEY=secrets.token_urlsafe(50),
        SECRET_ENCRYPTION_KEYS=os.environ["SECRET_ENCRYPTION_KEYS"],  # opens the secrets the tests store
        # Day-long windows: they are fixed and start at midnight UTC, so a test straddles two only then.
        API_RATE_LIMIT=f"{RATE_BUDGET}/day",
        FAILED_LOGIN_LIMIT_PER_USERNAME=str(FAILED_LOGIN_LIMIT),
        FAILED_LOGIN_LIMIT_PER_IP=str(FAILED_LOGIN_LIMIT_PER_ADDRESS),
        FAILED_LOGIN_WINDOW_SECONDS="86400",
        LOG_LEVEL="WARNING",
    )
    # Not pytest's tmp_path: its parent is private to us, and nginx's workers (as root: nobody) pass through.
    directory = Path(tempfile.mkdtemp(prefix="api-stack-"))
    try:
        with stack_running(directory, env, workers=WORKERS_PER_INSTANCE) as running:
            yield running
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def production_password(user, password):
    """Give `user` a password the production settings can check (they do not know the suite's fast MD5
    hasher): PBKDF2 with few iterations, so the instances check wrong guesses quickly."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def alice(alice):
    return production_password(alice, factories.ALICE_PASSWORD)


@pytest.fixture
def person(transactional_db):
    """Make a user whose password the instances can check: person(username, password)."""
    def make(username, password):
        return production_password(factories.make_user(username), password)
    return make


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one loopback address (on Linux any 127.0.0.0/8 address reaches 127.0.0.1), and
    a time limit on every request, so a stuck server fails the test instead of hanging the run."""

    def __init__(self, address, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)

    def send(self, request, timeout=None, **kwargs):
        return super().send(request, timeout=timeout or REQUEST_TIMEOUT_SECONDS, **kwargs)


def stack_client(session, stack, address="127.0.0.1"):
    """`session` (requests' or requests-oauthlib's) connecting from `address`, trusting the stack's CA."""
    session.trust_env = False  # else REQUESTS_CA_BUNDLE (and any proxy) from the environment wins
    session.verify = str(stack.ca_file)
    for scheme in ("https://", "http://"):
        session.mount(scheme, SourceAddressAdapter(address))
    return session


@pytest.fixture
def client_at(stack):
    """A requests Session connecting from `address`, trusting the stack's CA: client_at("127.0.0.2")."""
    sessions = []

    def make(address="127.0.0.1"):
        sessions.append(stack_client(requests.Session(), stack, address))
        return sessions[-1]

    yield make
    for session in sessions:
        session.close()
