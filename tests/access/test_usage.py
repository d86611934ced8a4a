"""An app's usage in the shared store (`access.store.usage`): a refusal is one write, its recent refusals
the newest 100 of 7 days, its counts kept 31 days; alike on Redis and on the database."""
import time

import pytest
from django.conf import settings as django_settings

from access.credentials import client_tag
from access.store.usage import (
    DAY_SECONDS_KEPT,
    RECENT_KEPT,
    RECENT_SECONDS,
    counted_name,
    day_of,
    recent_name,
    refusal_note,
    refused_name,
    usage_read,
)
from tests.redis_commands import commands_sent_to_redis, store_client, store_key
from tests.servers import free_port

KEY = "a-client-key-of-usage-tests"
ENTRY = {"method": "GET", "path": "/v2/products", "scheme": "basic", "address": "192.0.2.7"}


@pytest.fixture(params=["redis", "database"])
def store(request, settings, db):
    """Each case on Redis (when this run has one) and on the database fallback."""
    if request.param == "redis" and not django_settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    if request.param == "database":
        settings.REDIS_URL = ""
    return request.param


def test_refusals_are_counted_by_reason_and_day_and_listed_newest_first(store):
    now = time.time()
    refusal_note(KEY, reason="invalid_credentials", counted=False, entry=ENTRY, now=now - 86400)
    refusal_note(KEY, reason="not_found", counted=True, entry={**ENTRY, "path": "/v2/products/9"}, now=now)
    refusal_note(KEY, reason="not_found", counted=True, entry=ENTRY, now=now)
    usage = usage_read(KEY, days=3, now=now)
    assert [day.day for day in usage.days] == [day_of(now - 2 * 86400), day_of(now - 86400), day_of(now)]
    assert [day.refused for day in usage.days] == [{}, {"invalid_credentials": 1}, {"not_found": 2, "+counted": 2}]
    assert [(entry["reason"], entry["path"]) for entry in usage.recent] == [
        ("not_found", "/v2/products"), ("not_found", "/v2/products/9"), ("invalid_credentials", "/v2/products")]
    assert set(usage.recent[0]) == {"at", "method", "path", "scheme", "reason", "address"}
    assert usage.readable


def test_the_recent_refusals_keep_the_newest_hundred(store):
    for number in range(RECENT_KEPT + 5):
        refusal_note(KEY, reason="invalid_credentials", counted=False, entry={**ENTRY, "path": f"/v2/{number}"})
    recent = usage_read(KEY, days=1).recent
    assert len(recent) == RECENT_KEPT
    assert recent[0]["path"] == f"/v2/{RECENT_KEPT + 4}" and recent[-1]["path"] == "/v2/5"
    assert usage_read(KEY, days=1).days[0].refused == {"invalid_credentials": RECENT_KEPT + 5}


def test_a_refusal_is_one_write_and_everything_expires(settings):
    if not django_settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis round trips to count")
    with commands_sent_to_redis() as sent:
        refusal_note(KEY, reason="rate_limited", counted=True, entry=ENTRY)
    assert len(sent) == 1, sent
    redis = store_client()
    assert 0 < redis.ttl(store_key(refused_name(KEY, day_of(time.time())))) <= DAY_SECONDS_KEPT
    assert 0 < redis.ttl(store_key(recent_name(KEY))) <= RECENT_SECONDS
    with commands_sent_to_redis() as sent:
        usage_read(KEY, days=30)
    assert len(sent) == 1, sent  # the page's read, too


def test_every_name_is_on_the_client_keys_hash_tag():
    tag = "{" + client_tag(KEY) + "}"
    assert all(tag in name for name in (counted_name(KEY, "20261207"), refused_name(KEY, "20261207"),
                                         recent_name(KEY)))


def test_a_redis_that_cannot_be_reached_skips_the_note_and_says_so(settings, db):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.SHARED_CACHE_TIMEOUT_SECONDS = 0.05
    refusal_note(KEY, reason="invalid_credentials", counted=False, entry=ENTRY)  # no error
    assert usage_read(KEY, days=1).readable is False
