"""Encryption at rest for secrets that must stay readable: HMAC-SHA1 needs the raw client and token
secrets, so they cannot be hashed like passwords.

Keys come from SECRET_ENCRYPTION_KEYS (comma-separated Fernet keys, apart from SECRET_KEY): the
first encrypts, every one decrypts, so a new key can be put first and old rows re-encrypted with
`manage.py rotate_secret_encryption`. A value no key opens fails closed with a clear error, never
a wrong answer.
"""
import logging
from datetime import datetime, timezone as dt_timezone
from enum import Enum
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.dispatch import receiver

from access.refusals import SecretsUnreadable

logger = logging.getLogger(__name__)

PREFIX = "fernet:"
# Plaintexts of sealed values opened lately, by the sealed value: every warm API request unpickles a
# snapshot carrying sealed secrets, and decrypting them each time costs more than the rest of the
# lookup. Keyed by the sealed value, which comes from the row or the shared snapshot, so a rotation or
# a revocation (a new row, a forgotten snapshot) never meets an old entry. Bounded; in process memory
# only, like the plaintext a request holds anyway; emptied when the keys change.
OPENED_LIMIT = 1024
_opened = {}


class SecretDecryptionError(SecretsUnreadable):
    """A stored secret that none of SECRET_ENCRYPTION_KEYS opens (wrong or missing key, or a value
    that was never encrypted).

    A refusal, so that the API answers 503 in the contract's shape wherever it surfaces (Basic, the
    OAuth bridge, the token endpoints) instead of a verdict on the credentials.
    """


@lru_cache(maxsize=1)
def _box():
    keys = settings.SECRET_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("SECRET_ENCRYPTION_KEYS is empty: secrets cannot be stored or read.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:  # which one, `consumers.checks` says at start-up (never echoing a key)
        raise ImproperlyConfigured("SECRET_ENCRYPTION_KEYS holds a malformed Fernet key.") from None


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting == "SECRET_ENCRYPTION_KEYS":
        _box.cache_clear()
        _opened.clear()


def seal(plaintext):
    return PREFIX + _box().encrypt(plaintext.encode()).decode()


def unseal(stored):
    plaintext = _opened.get(stored)
    if plaintext is None:
        plaintext = _open(_box().decrypt, stored).decode()  # raises for a value no key opens: not kept
        if len(_opened) >= OPENED_LIMIT:
            _opened.clear()
        _opened[stored] = plaintext
    return plaintext


def reseal(stored):
    """The same secret under the first key (for key rotation); any of the keys may have sealed it."""
    return PREFIX + _open(_box().rotate, stored).decode()


def _open(operation, stored):
    """`operation` (decrypt or rotate) on a stored value; SecretDecryptionError when no key opens it."""
    if not stored.startswith(PREFIX):
        logger.error("A stored secret is not encrypted; run the migrations.")
        raise SecretDecryptionError()
    try:
        return operation(stored[len(PREFIX):].encode())
    except InvalidToken:
        logger.error("A stored secret cannot be decrypted with SECRET_ENCRYPTION_KEYS (wrong or missing key).")
        raise SecretDecryptionError() from None


class EncryptedSecretField(models.CharField):
    """Reads and writes plaintext in Python; the column only ever holds Fernet tokens.

    Lookups by value cannot match (each seal is different), which is why secrets are never filtered on.
    """

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else unseal(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else seal(value)


def stored_values(queryset, field_name):
    """(pk, value) pairs exactly as the column holds them, not decrypted (migrations, rotation)."""
    return queryset.annotate(stored_value=Cast(field_name, models.CharField())).values_list(
        "pk", "stored_value"
    )


def store_as_is(queryset, field_name, stored):
    """Write `stored` to the column as given (already sealed, or plaintext when undoing the migration)."""
    return queryset.update(**{field_name: models.Value(stored, output_field=models.CharField())})


def reseal_stored_secrets(batch_size=500):
    """Re-encrypt every stored secret under the first key, a batch per transaction; the count.

    Rows are locked while re-sealed, so a secret rotated meanwhile is not overwritten with the old one.
    """
    count = 0
    for model in apps.get_models():
        if not issubclass(model, SealedSecretsMixin):
            continue
        for field_name in model.sealed_secret_fields:
            last_pk = None
            while True:
                with transaction.atomic():
                    batch = model._base_manager.select_for_update().order_by("pk")
                    if last_pk is not None:
                        batch = batch.filter(pk__gt=last_pk)
                    rows = list(stored_values(batch, field_name)[:batch_size])
                    for pk, stored in rows:
                        if stored:
                            store_as_is(model._base_manager.filter(pk=pk), field_name, reseal(stored))
                            count += 1
                if len(rows) < batch_size:
                    break
                last_pk = rows[-1][0]
    return count


class SealedSecretsMixin:
    """Pickles of the model (the shared cache's snapshots) carry the named fields sealed, never in
    plaintext, and give them back in plaintext when loaded.

    A pickle holds the instance's attributes and its cached related rows (the owner, the token's user)
    as plain data, rebuilt by one call of `rebuilt`: every warm API request loads one or two, and
    Django's own pickling of a model and its related rows costs several times more to load.
    """

    sealed_secret_fields = ()

    def __reduce__(self):
        try:
            return rebuilt, flat(self)
        except RowsInACycle:  # Django's own pickling, which keeps cycles, through the two methods below
            return super().__reduce__()

    def __getstate__(self):
        state = super().__getstate__()  # a copy: the instance keeps its plaintext
        for name in self.sealed_secret_fields:
            if state.get(name):
                state[name] = seal(state[name])
        return state

    def __setstate__(self, state):
        for name in self.sealed_secret_fields:
            if state.get(name):
                state[name] = unseal(state[name])
        super().__setstate__(state)


class RowsInACycle(Exception):
    """Related rows that lead back to a row already being flattened (a one-to-one both ways)."""


def flat(instance, path=()):
    """(model label, database, adding, attributes with secrets sealed, names of the datetimes among them,
    {relation: flat(row) or None}): a model instance and the related rows it holds, as data that
    `rebuilt` turns back into them. Datetimes travel as ISO 8601 text and choices as their plain
    value (as the database gives them), which load several times faster than their pickles."""
    if any(row is instance for row in path):
        raise RowsInACycle()
    values = instance.__dict__.copy()  # a copy: the instance keeps its plaintext
    state = values.pop("_state")
    for name in getattr(instance, "sealed_secret_fields", ()):
        if values.get(name):
            values[name] = seal(values[name])
    dates = []
    for name, value in values.items():
        if isinstance(value, datetime) and value.tzinfo in (None, dt_timezone.utc):
            values[name] = value.isoformat()
            dates.append(name)
        elif isinstance(value, Enum) and isinstance(value, (str, int)):  # a choice
            values[name] = value.value
    related = {name: None if row is None else flat(row, (*path, instance))
               for name, row in state.fields_cache.items()}
    return instance._meta.label, state.db, state.adding, values, tuple(dates), related


def rebuilt(label, db, adding, values, dates, related):
    """The instance `flat` described, secrets in plaintext again; as Django's unpickling makes it."""
    model = _models.get(label) or _models.setdefault(label, apps.get_model(label))
    instance = model.__new__(model)
    for name in getattr(model, "sealed_secret_fields", ()):
        if values.get(name):
            values[name] = unseal(values[name])
    for name in dates:
        values[name] = datetime.fromisoformat(values[name])
    state = ModelState()
    state.db, state.adding = db, adding
    state.fields_cache = {name: None if row is None else rebuilt(*row) for name, row in related.items()}
    values["_state"] = state
    instance.__dict__.update(values)
    return instance


_models = {}
