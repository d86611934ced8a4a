"""Fixtures for the OAuth 1.0a tests: a developer's registered app, an end user, her access token."""
import pytest

from tests.factories import make_access_token, make_consumer, make_user

CALLBACK = "https://printer.example.com/oauth/ready"
ALICE_PASSWORD = "alice's long passphrase"


@pytest.fixture
def developer(db):
    return make_user("developer")


@pytest.fixture
def app(developer):
    """A client with every scope and a registered callback, like printer.example.com in RFC 5849 §1.2."""
    return make_consumer(developer, name="Printer", callback_url=CALLBACK)


@pytest.fixture
def alice(db):
    return make_user("alice", password=ALICE_PASSWORD)


@pytest.fixture
def alice_token(app, alice):
    return make_access_token(app, alice)


@pytest.fixture
def http_cookies(settings):
    """Live-server tests talk plain HTTP: let the browser session's cookies travel over it."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def no_random_pruning(monkeypatch):
    """Requests prune expired rows at random (1 in 100); here that would only make query counts
    flaky. Pruning itself is tested through `manage.py prune_expired`."""
    monkeypatch.setattr("access.shared_state.PRUNE_PROBABILITY", 0)
    monkeypatch.setattr("consumers.oauth1.services.PRUNE_PROBABILITY", 0)
