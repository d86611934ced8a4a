"""`fetch_by_tag`: what a snapshot's tag names is read in the same round trip once the worker has seen
the tag, and read again, with the right names, when the tag it remembers is not the snapshot's now."""
import uuid

import pytest
from django.conf import settings

from access.shared_state import counters_add, discard, fetch_by_tag, snapshot_keep
from tests.redis_commands import commands_sent_to_redis

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="tagged snapshots live in Redis only")

TEMPLATES = {"tagged_snapshots": ["client-snapshot:{1}"], "tagged_counters": ["throttle:account:{2}"]}


@pytest.fixture
def token():
    """A snapshot name of its own: what a worker remembers of a tag outlives a test."""
    return f"bearer-snapshot:{uuid.uuid4().hex}"


def read(token):
    with commands_sent_to_redis() as sent:
        found, names = fetch_by_tag(snapshot=token, **TEMPLATES)
    return found, names, len(sent)


def test_the_tag_once_seen_names_what_is_read_with_the_snapshot(token):
    snapshot_keep("client-snapshot:one", {"client": 1}, 60)
    counters_add([("throttle:account:alice", 60)])
    snapshot_keep(token, {"token": 1}, 60, tag="one,alice")

    found, names, round_trips = read(token)  # this worker has not seen the tag yet: it reads it, then what it names
    assert round_trips == 2
    assert names == {"client-snapshot:{1}": "client-snapshot:one", "throttle:account:{2}": "throttle:account:alice"}
    assert found == {token: {"token": 1}, "client-snapshot:one": {"client": 1}, "throttle:account:alice": 1}

    assert read(token) == (found, names, 1)  # seen: one round trip


def test_a_changed_tag_is_read_again_never_taken_for_the_old_one(token):
    snapshot_keep("client-snapshot:one", {"client": 1}, 60)
    snapshot_keep("client-snapshot:two", {"client": 2}, 60)
    snapshot_keep(token, {"token": 1}, 60, tag="one,alice")
    read(token)  # the worker remembers "one,alice"
    discard([token])
    snapshot_keep(token, {"token": 2}, 60, tag="two,bob")

    found, names, round_trips = read(token)
    assert round_trips == 2
    assert names == {"client-snapshot:{1}": "client-snapshot:two", "throttle:account:{2}": "throttle:account:bob"}
    assert found == {token: {"token": 2}, "client-snapshot:two": {"client": 2}, "throttle:account:bob": 0}
    assert read(token) == (found, names, 1)


def test_an_untagged_or_missing_snapshot_names_nothing(token):
    assert read(token)[:2] == ({}, {})
    snapshot_keep(token, {"token": 1}, 60)
    assert read(token)[:2] == ({token: {"token": 1}}, {})
