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
