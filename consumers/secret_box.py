"""Encryption at rest for secrets that must stay readable: HMAC-SHA1 needs the raw client and token
secrets, so they cannot be hashed like passwords.

Keys come from SECRET_ENCRYPTION_KEYS (comma-separated Fernet keys, apart from SECRET_KEY): the
first encrypts, every one decrypts, so a new key can be put first and old rows re-encrypted with
`manage.py rotate_secret_encryption`. A value no key opens fails closed with a clear error, never
a wrong answer.
"""
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models, transaction
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
    """Names the fields that hold secrets: stored sealed (`EncryptedSecretField`), resealed by
    `reseal_stored_secrets`, and sealed again in the shared store's snapshots
    (`consumers.lookup_cache.row_data`), so no copy of a row ever holds one in plaintext."""

    sealed_secret_fields = ()
