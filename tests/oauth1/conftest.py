"""Fixtures for the OAuth 1.0a tests (the app, alice and her token are in tests/conftest.py)."""
import pytest


@pytest.fixture
def http_cookies(settings):
    """Live-server tests talk plain HTTP: let the browser session's cookies travel over it."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def no_random_pruning(monkeypatch):
    """Requests prune expired rows at random (1 in 100); here that would only make query counts
    flaky. Pruning itself is tested through `manage.py prune_expired`."""
    monkeypatch.setattr("access.store.nonces.PRUNE_PROBABILITY", 0)
    monkeypatch.setattr("consumers.oauth1.services.PRUNE_PROBABILITY", 0)
