"""Registered API clients ("consumers" in OAuth 1.0a terms), which are also django-oauth-toolkit's
applications (`OAUTH2_PROVIDER_APPLICATION_MODEL`): one client, one key and secret, for Basic, OAuth
1.0a and OAuth 2.0.

Field names follow django-oauth-toolkit's AbstractApplication (`client_id`, `client_secret`, `user`,
`name`, `created`, `updated`); what clients see is still called the client key (`client_key`). Where
our rules differ from the toolkit's per-application settings, the setting is a constant of the class
rather than a column, so no row can ever differ: every client is confidential, may use every grant we
serve, keeps its secret readable (OAuth 1.0a's HMAC needs it; encrypted at rest, never hashed), and
redirects only under its registered callback (the OAuth 1.0a rule).
"""
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from oauth2_provider.models import AbstractApplication
from oauthlib.oauth2.rfc6749.errors import MissingRedirectURIError

from consumers.oauth1.policy import is_under_callback
from consumers.secret_box import EncryptedSecretField, SealedSecretsMixin


def generate_client_key():
    return secrets.token_urlsafe(24)  # 192 bits, 32 URL-safe characters


def generate_client_secret():
    return secrets.token_urlsafe(32)  # 256 bits, 43 URL-safe characters


class ConsumerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ReviewStatus(models.TextChoices):
    """Staff's verdict on an app before the public may authorize it (CLIENT_REVIEW)."""

    PENDING = "pending", "Awaiting review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Consumer(SealedSecretsMixin, AbstractApplication):
    id = models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consumers")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    client_id = models.CharField("client key", max_length=100, unique=True, default=generate_client_key)
    client_secret = EncryptedSecretField(max_length=255, default=generate_client_secret)
    # After a rotation with an overlap the old secret keeps working until `previous_secret_expires_at`,
    # so an app can be redeployed with the new one without a gap (`secrets_in_force`).
    previous_client_secret = EncryptedSecretField(max_length=255, blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # When a request was last verified with each secret (about once a minute at most,
    # `consumers.services.consumer_secret_mark_used`), so the developer sees whether the old one is still in use.
    client_secret_last_used = models.DateTimeField("current secret last used", null=True, blank=True)
    previous_secret_last_used = models.DateTimeField("previous secret last used", null=True, blank=True)
    scopes = models.CharField(max_length=255, help_text="Space-separated scope names.")
    callback_url = models.URLField(
        blank=True, help_text="OAuth callbacks must fall under this URL; empty allows only oob."
    )
    signature_debug = models.BooleanField(
        "signature debugging", default=False,
        help_text="A 401 for a bad HMAC-SHA1 signature carries the signature base string we computed.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Rows from before review existed, and every client while CLIENT_REVIEW is off, are approved.
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.APPROVED)
    review_note = models.TextField(blank=True, help_text="Staff's note on the review, shown to the developer.")
    last_used = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ConsumerQuerySet.as_manager()
    sealed_secret_fields = ("client_secret", "previous_client_secret")

    # django-oauth-toolkit's per-application columns, as constants (see the module docstring).
    client_type = AbstractApplication.CLIENT_CONFIDENTIAL
    authorization_grant_type = AbstractApplication.GRANT_AUTHORIZATION_CODE  # shown nowhere; see allows_grant_type
    hash_client_secret = False
    skip_authorization = False
    algorithm = AbstractApplication.NO_ALGORITHM  # no OpenID Connect
    allowed_origins = ""  # no CORS on the token endpoint
    post_logout_redirect_uris = ""
    registration_source = AbstractApplication.RegistrationSource.MANUAL
    cimd_expires_at = None

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API client"

    def __str__(self):
        return f"{self.name} ({self.client_id})"

    @property
    def client_key(self):
        return self.client_id

    @property
    def scope_list(self):
        return self.scopes.split()

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def is_rejected(self):
        return self.review_status == ReviewStatus.REJECTED

    @property
    def key_works(self):
        """Is the key in service: neither revoked nor rejected in review (as `selectors.consumers_usable_of`)?
        Whether it works for a given request is the gate's to say (`consumers.gate`)."""
        return self.is_active and not self.is_rejected

    @property
    def awaiting_review(self):
        return self.review_status == ReviewStatus.PENDING

    # --- As django-oauth-toolkit's application ----------------------------------------------------

    # The grants every client may use (docs/contract.md, "OAuth 2.0"); the toolkit's names, as in
    # `oauth2_provider.oauth2_validators.GRANT_TYPE_MAPPING`. No implicit, no password grant.
    GRANTS_ALLOWED = (
        AbstractApplication.GRANT_AUTHORIZATION_CODE,
        AbstractApplication.GRANT_CLIENT_CREDENTIALS,
        AbstractApplication.GRANT_DEVICE_CODE,
    )

    def allows_grant_type(self, *grant_types):
        """One client does every grant we serve: the toolkit's one-grant-per-application column is
        not ours."""
        return any(grant_type in self.GRANTS_ALLOWED for grant_type in grant_types)

    @property
    def redirect_uris(self):
        return self.callback_url

    @property
    def default_redirect_uri(self):
        """The registered callback itself, for an authorization request that names none."""
        if not self.callback_url:
            raise MissingRedirectURIError()
        return self.callback_url

    def redirect_uri_allowed(self, uri):
        """The OAuth 1.0a callback rule: same scheme, host and port, a path under the registered one."""
        return bool(self.callback_url) and is_under_callback(uri, self.callback_url)

    def is_usable(self, request):
        """Loaded even when revoked: the gate (`consumers.gate`) says why it may not be used, in our words."""
        return True

    def clean(self):
        models.Model.clean(self)  # the toolkit's checks are of columns this model does not have

    def secrets_in_force(self, now=None):
        """The client secrets a signature may be made with now: the current one first, then the
        previous one while its overlap lasts. The one rule every OAuth 1.0a check and OAuth 2.0's
        client authentication ask."""
        now = now or timezone.now()
        if self.previous_client_secret and self.previous_secret_expires_at and now < self.previous_secret_expires_at:
            return (self.client_secret, self.previous_client_secret)
        return (self.client_secret,)

    def previous_secret_in_force(self, now=None):
        """Is a rotation's overlap still running (the previous secret still accepted)?"""
        return len(self.secrets_in_force(now)) > 1


# OAuth 1.0a tokens and nonces live in their own package but belong to this app.
from consumers.oauth1.models import AccessToken, RequestToken  # noqa: E402,F401
