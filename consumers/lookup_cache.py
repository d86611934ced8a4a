"""Credential lookups remembered as snapshots in the shared store, forgotten whenever their source changes.

Three kinds of snapshot: a client with its owner and the owner's account state (by client key), an
OAuth 1.0a access token with its user and the user's account state (by token key), and an OAuth 2.0
access token likewise (by the token's digest; `consumers.oauth2.bearer_tokens`). A snapshot is plain
data (`row_data`: the row's loaded columns, named attributes, related rows), never a pickled object;
it holds no password hash (only a keyed digest of it) and no plaintext secret (sealed, see
`consumers.secret_box`). Writers forget snapshots through `consumers.signals` (any save of a client,
token, user or account state); a forget that cannot reach the store fails the change
(`access.store.snapshots.forget`).

Each name carries its hash tag (`{...}`), the part of its key a Redis Cluster places it by: a client's
snapshot sits with the client's nonces and rate counter; a token's snapshot on its own.
"""
import hashlib
from datetime import datetime
from functools import lru_cache

from access.credentials import client_tag
from access.store import snapshots
from access.store.reads import fetch
from consumers.secret_box import seal, unseal

SNAPSHOT_SECONDS = 60
# Unknown keys are not remembered: each would be an entry anyone can make by sending a made-up key,
# so the store would grow with what strangers send. A made-up key costs one indexed query instead.
UNKNOWN = "unknown"
CONSUMER = "consumer"
ACCESS_TOKEN = "access-token"
BEARER_TOKEN = "bearer-token"  # OAuth 2.0, named by the token's digest


@lru_cache(maxsize=1024)
def snapshot_key(kind, key):
    """The name of a client's or an OAuth 1.0a token's snapshot. Hashed: an unknown key is whatever a
    caller sent, of any length and alphabet. Kept for the keys a worker sees most (public identifiers,
    never a secret: Bearer tokens are named by `snapshot_key_of_digest`), at most 1,024 of them."""
    if kind == CONSUMER:
        return f"{CONSUMER}-snapshot:{{{client_tag(key)}}}"
    return snapshot_key_of_digest(kind, key_digest(key))


def key_digest(key):
    """The SHA-256 of a key, as token snapshot names hold it (and as django-oauth-toolkit's
    `token_checksum` is)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def snapshot_key_of_digest(kind, digest):
    """A token's snapshot, by the digest of its key: in a hash slot of its own."""
    return f"{kind}-snapshot:{{t:{digest}}}"


def remembered(*wanted):
    """For each (kind, key): the snapshot's data, or None when nothing is remembered; one round trip."""
    names = [snapshot_key(kind, key) for kind, key in wanted]
    found = fetch(snapshots=names)
    return [found.get(name) for name in names]


def remembered_in(found, kind, key):
    """The snapshot's data in a batch the caller fetched itself (see `snapshot_key`), like `remembered`."""
    return found.get(snapshot_key(kind, key))


def remember(kind, key, data):
    """Keep a snapshot of what `key` names; `data` None (an unknown key) keeps nothing (see UNKNOWN)."""
    if data is not None:
        snapshots.keep(snapshot_key(kind, key), data, SNAPSHOT_SECONDS)


def remember_digest(kind, digest, data):
    """`remember` for a key known by its digest (`key_digest`): the same rule, unknown keys keep nothing."""
    if data is None:
        return
    snapshots.keep(snapshot_key_of_digest(kind, digest), data, SNAPSHOT_SECONDS)


def forget(kind, keys):
    """Forget before the change commits; raises (and so undoes the change) when the store is unreachable."""
    snapshots.forget([snapshot_key(kind, key) for key in keys])


def forget_digests(kind, digests):
    """`forget` for keys known only by their digest (`key_digest`): OAuth 2.0 tokens are stored so."""
    snapshots.forget([snapshot_key_of_digest(kind, digest) for digest in digests])


# --- Rows as plain data ---------------------------------------------------------------------------


def row_data(instance, *, attributes=(), related=None):
    """A row as plain data: its loaded columns (sealed secrets sealed again, datetimes as ISO 8601 text),
    the named `attributes` it was given (annotations, loaded states), and `related` rows ({name:
    (attributes, related)} of the rows it holds), each likewise."""
    deferred = instance.get_deferred_fields()
    sealed = getattr(instance, "sealed_secret_fields", ())
    columns, dates = [], []
    for field in type(instance)._meta.concrete_fields:
        if field.attname in deferred:
            continue
        value = field.value_from_object(instance)
        if isinstance(value, datetime):
            value, _ = value.isoformat(), dates.append(field.attname)
        elif field.attname in sealed and value:
            value = seal(value)
        columns.append((field.attname, value))
    return {
        "columns": columns, "dates": dates,
        "attributes": {name: getattr(instance, name) for name in attributes},
        "related": {name: None if getattr(instance, name) is None else row_data(getattr(instance, name),
                                                                                attributes=inner, related=deeper)
                    for name, (inner, deeper) in (related or {}).items()},
    }


def row_from(model, data):
    """The row `row_data` described, as a model instance loaded from the database would be (columns not
    kept are deferred), with its attributes and related rows."""
    sealed = getattr(model, "sealed_secret_fields", ())
    names, values = [], []
    for name, value in data["columns"]:
        if name in data["dates"]:
            value = datetime.fromisoformat(value)
        elif name in sealed and value:
            value = unseal(value)
        names.append(name)
        values.append(value)
    instance = model.from_db(None, names, values)
    for name, value in data["attributes"].items():
        setattr(instance, name, value)
    for name, row in data["related"].items():
        field = model._meta.get_field(name)
        setattr(instance, name, None if row is None else row_from(field.related_model, row))
    return instance
