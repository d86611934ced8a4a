"""Storage for OAuth 1.0a: temporary credentials and token credentials.

Registered under the `consumers` app (imported at the bottom of `consumers/models.py`).
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from consumers.secret_box import EncryptedSecretField, SealedSecretsMixin


class RequestTokenQuerySet(models.QuerySet):
    def live(self):
        """Not yet exchanged or denied, and not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class RequestToken(SealedSecretsMixin, models.Model):
    """Temporary credentials (RFC 5849 §2.1): single-use, short-lived, authorized by one user."""

    consumer = models.ForeignKey("consumers.Consumer", on_delete=models.CASCADE, related_name="request_tokens")
    key = models.CharField(max_length=64, unique=True)
    secret = EncryptedSecretField(max_length=255)
    callback = models.CharField(max_length=2048, help_text='"oob" or a URL under the client\'s callback.')
    scopes = models.CharField(max_length=255, help_text="Space-separated scope names.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    verifier = models.CharField(max_length=64, blank=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    # Set when the token is exchanged for an access token or denied: either way it is over.
    used_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = RequestTokenQuerySet.as_manager()
    sealed_secret_fields = ("secret",)

    class Meta:
        verbose_name = "OAuth request token"

    def __str__(self):
        return f"request token of {self.consumer_id}"

    @property
    def scope_list(self):
        return self.scopes.split()

    @property
    def is_oob(self):
        return self.callback == "oob"


class AccessTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class AccessToken(SealedSecretsMixin, models.Model):
    """Token credentials (RFC 5849 §2.3): act for `user` through `consumer` until revoked."""

    consumer = models.ForeignKey("consumers.Consumer", on_delete=models.CASCADE, related_name="access_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oauth_access_tokens"
    )
    # One access token per request token, enforced by the database as well as by the exchange.
    request_token = models.OneToOneField(
        RequestToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_token"
    )
    key = models.CharField(max_length=64, unique=True)
    secret = EncryptedSecretField(max_length=255)
    scopes = models.CharField(max_length=255, help_text="Space-separated scope names.")
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()
    sealed_secret_fields = ("secret",)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "OAuth access token"

    def __str__(self):
        return f"access token of {self.user_id} for {self.consumer_id}"

    @property
    def scope_list(self):
        return self.scopes.split()
