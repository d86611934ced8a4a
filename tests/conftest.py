"""Fixtures shared by every test. The database and the cache are real (see apiproject/settings_test)."""
import pytest
from django.conf import settings
from django.db import connection

from access.shared_state import fetch
from access.store.redis_client import ERRORS, make_client
from tests import factories
from tests.oauth2.helpers import client_auth as oauth2_client_auth

pytest_plugins = ["tests.concurrency"]  # `store`: each concurrency case on Redis and on the database


@pytest.fixture(scope="session", autouse=True)
def _backing_services_reachable(django_db_setup, django_db_blocker):
    """A configured PostgreSQL or Redis that cannot be reached fails the run; it never skips tests."""
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if settings.REDIS_URL:
            client = make_client()
            try:
                client.ping()
            except ERRORS as error:
                pytest.fail(f"Redis at {settings.REDIS_URL} did not answer: {error!r}")
            finally:
                client.close()


@pytest.fixture(autouse=True)
def _fresh_shared_cache():
    """The database cache is rolled back with each test; this run's keys in Redis are deleted by hand
    (not FLUSHDB: another run may share the Redis database), after the increments the last test's
    requests still owe are sent (`counters_add_later`), so they cannot land in this test's counts."""
    if settings.REDIS_URL:
        fetch()
        client = make_client()
        stale = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*", count=1000))
        if stale:
            client.delete(*stale)
        client.close()
    yield


@pytest.fixture
def password():
    return "open sesame"


@pytest.fixture
def aladdin(db, password):
    return factories.make_user("Aladdin", password=password)


@pytest.fixture
def aladdin_key(aladdin):
    return factories.make_consumer(aladdin)


@pytest.fixture
def api(client, aladdin, aladdin_key, password):
    """Django's test client, sending the guide's example Basic credentials and Aladdin's key."""
    client.defaults["HTTP_AUTHORIZATION"] = factories.basic_header(aladdin.username, password)
    client.defaults["HTTP_X_CLIENT_KEY"] = aladdin_key.client_key
    return client


# --- The OAuth 1.0a cast: a developer's registered app, an end user, her access token ------------------


@pytest.fixture
def developer(db):
    return factories.make_user("developer")


@pytest.fixture
def app(developer):
    """A client with every scope and a registered callback, like printer.example.com in RFC 5849 §1.2."""
    return factories.make_consumer(developer, name="Printer", callback_url=factories.CALLBACK)


@pytest.fixture
def alice(db):
    return factories.make_user("alice", password=factories.ALICE_PASSWORD)


@pytest.fixture
def alice_token(app, alice):
    return factories.make_access_token(app, alice)


@pytest.fixture
def rates(settings):
    """Set the rate limits (`API_RATE_LIMIT`, `API_ACCOUNT_RATE_LIMIT`) for one test."""
    def set_rates(client_key="100/hour", account="100/hour"):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                                   "DEFAULT_THROTTLE_RATES": {"client_key": client_key, "account": account}}
    return set_rates


# --- OAuth 2.0 ------------------------------------------------------------------------------------------


@pytest.fixture
def token_call(client):
    """POST a form to `/oauth2/token` as `app` (its key and secret in HTTP Basic, RFC 6749 §2.3.1)."""
    def call(app, secret=None, **form):
        return client.post("/oauth2/token", form, **oauth2_client_auth(app, secret))
    return call
