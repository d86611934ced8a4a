"""Cached lookups: a real client key's snapshot is kept; made-up keys leave nothing behind."""
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from access.store.redis_client import make_client
from consumers.lookup_cache import ACCESS_TOKEN, CONSUMER, snapshot_key
from tests import factories
from tests.oauth1.signing import signed_send

pytestmark = pytest.mark.skipif(not django_settings.REDIS_URL, reason="snapshots are kept in Redis only")


def stored_snapshots():
    client = make_client()
    return [name.decode() for name in client.scan_iter(match=cache.make_key("*-snapshot:*"), count=1000)]


@pytest.mark.django_db
def test_made_up_client_keys_and_tokens_store_nothing(client, aladdin, password, app):
    for number in range(20):
        made_up = f"made-up-client-key-{number:013d}"
        basic = client.get("/v2", HTTP_AUTHORIZATION=factories.basic_header(aladdin.username, password),
                           HTTP_X_CLIENT_KEY=made_up)
        assert basic.status_code == 403
        stranger = SimpleNamespace(client_key=made_up, client_secret="s" * 43)
        made_up_token = SimpleNamespace(key=f"made-up-token-{number:026d}", secret="t" * 43)
        assert signed_send(client, "GET", "/v2", stranger, token=made_up_token).status_code == 401
        assert signed_send(client, "GET", "/v2", app, token=made_up_token).status_code == 401
        assert signed_send(client, "POST", "/oauth/request_token", stranger, callback="oob").status_code == 401
    assert stored_snapshots() == []


@pytest.mark.django_db
def test_made_up_bearer_tokens_store_nothing(client):
    for number in range(20):
        response = client.get("/v2", HTTP_AUTHORIZATION=f"Bearer made-up-bearer-token-{number:020d}")
        assert response.status_code == 401
    assert stored_snapshots() == []


@pytest.mark.django_db
def test_a_real_keys_snapshot_is_still_kept(api, aladdin_key, client, app, alice_token):
    assert api.get("/v2").status_code == 200
    assert signed_send(client, "GET", "/v2", app, token=alice_token).status_code == 200
    kept = set(stored_snapshots())
    assert cache.make_key(snapshot_key(CONSUMER, aladdin_key.client_key)) in kept
    assert cache.make_key(snapshot_key(ACCESS_TOKEN, alice_token.key)) in kept
