"""Credential lookups remembered as snapshots in the shared store, forgotten whenever their source changes.

Three kinds of snapshot: a client with its owner and the owner's account state (by client key), an
OAuth 1.0a access token with its user and the user's account state (by token key), and an OAuth 2.0
access token likewise (by the token's digest; `consumers.oauth2.bearer_tokens`). Neither holds a password
hash (only a keyed digest of it) nor a plaintext secret (see `consumers.secret_box`). Writers forget
snapshots through `consumers.signals` (any save of a client, token, user or account state); a
forget that cannot reach the store fails the change (`access.shared_state.snapshots_forget`).
"""
import hashlib
from functools import lru_cache

from access.shared_state import fetch, snapshot_keep, snapshots_forget

SNAPSHOT_SECONDS = 60
# Unknown keys are not remembered: each would be an entry anyone can make by sending a made-up key,
# so the store would grow with what strangers send. A made-up key costs one indexed query instead.
# (Snapshots stored as UNKNOWN by an earlier release may still be read during a deploy.)
UNKNOWN = "unknown"
CONSUMER = "consumer"
ACCESS_TOKEN = "access-token"
BEARER_TOKEN = "bearer-token"  # OAuth 2.0, named by the token's digest


@lru_cache(maxsize=1024)
def snapshot_key(kind, key):
    """The name of a client's or an OAuth 1.0a token's snapshot. Hashed: an unknown key is whatever a
    caller sent, of any length and alphabet. Kept for the keys a worker sees most (public identifiers,
    never a secret: Bearer tokens are named by `snapshot_key_of_digest`), at most 1,024 of them."""
    return snapshot_key_of_digest(kind, key_digest(key))


def key_digest(key):
    """The SHA-256 of a key, as snapshot names hold it (and as django-oauth-toolkit's `token_checksum` is)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def snapshot_key_of_digest(kind, digest):
    return f"{kind}-snapshot:{digest}"


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
    remember_digest(kind, key_digest(key), value, tag=tag)


def remember_digest(kind, digest, value, tag=""):
    """`remember` for a key known by its digest (`key_digest`): the same rule, unknown keys keep nothing."""
    if value is None:
        return
    snapshot_keep(snapshot_key_of_digest(kind, digest), value, SNAPSHOT_SECONDS, tag=tag)


def forget(kind, keys):
    """Forget before the change commits; raises (and so undoes the change) when the store is unreachable."""
    snapshots_forget([snapshot_key(kind, key) for key in keys])


def forget_digests(kind, digests):
    """`forget` for keys known only by their digest (`key_digest`): OAuth 2.0 tokens are stored so."""
    snapshots_forget([snapshot_key_of_digest(kind, digest) for digest in digests])
