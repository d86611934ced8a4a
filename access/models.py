"""The database side of the shared state (`access.store.nonces`): nonces seen, for replay protection."""
from django.db import models


class Nonce(models.Model):
    """A nonce seen once (as a digest of everything it is unique with) until it expires.

    The unique column is what makes "seen before?" atomic across workers and hosts.
    """

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "nonce"
