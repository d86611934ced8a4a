"""Credential lookups remembered as snapshots in the shared store, forgotten whenever their source changes.

Two kinds of snapshot: a client with its owner and the owner's account state (by client key), and
an access token with its user and the user's account state (by token key). Neither holds a password
hash (only a keyed digest of it) nor a plaintext secret (see `consumers.secret_box`). Writers forget
snapshots through `consumers.signals` (any save of a client, token, user or account state); a
forget that cannot reach the store fails the change (`access.shared_state.snapshots_forget`).
"""
import hashlib

from access.shared_state import fetch, snapshot_keep, snapshots_forget

SNAPSHOT_SECONDS = 60
# Unknown keys are not remembered: each would be an entry anyone can make by sending a made-up key,
# so the store would grow with what strangers send. A made-up key costs one indexed query instead.
# (Snapshots stored as UNKNOWN by an earlier release may still be read during a deploy.)
UNKNOWN = "unknown"
CONSUMER = "consumer"
ACCESS_TOKEN = "access-token"


def snapshot_key(kind, key):
    # Hashed: an unknown key is whatever a caller sent, of any length and alphabet.
    return f"{kind}-snapshot:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"


def remembered(*wanted):
    """For each (kind, key): the snapshot, UNKNOWN, or None when nothing is remembered; one round trip."""
    names = [snapshot_key(kind, key) for kind, key in wanted]
    found = fetch(snapshots=names)
    return [found.get(name) for name in names]


def remembered_in(found, kind, key):
    """The snapshot in a batch the caller fetched itself (see `snapshot_key`), like `remembered`."""
    return found.get(snapshot_key(kind, key))


def remember(kind, key, value, tag=""):
    """Keep a snapshot of what `key` names; `value` None (an unknown key) keeps nothing (see UNKNOWN).
    `tag`: see `access.shared_state.snapshot_keep`."""
    if value is None:
        return
    snapshot_keep(snapshot_key(kind, key), value, SNAPSHOT_SECONDS, tag=tag)


def forget(kind, keys):
    """Forget before the change commits; raises (and so undoes the change) when the store is unreachable."""
    snapshots_forget([snapshot_key(kind, key) for key in keys])
