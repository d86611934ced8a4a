"""Each user's API account state and the history of who changed it, when and why; the account's ledger
and its API passwords.

The state is separate from Django's `is_active`: a locked user can still sign in to pay.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class AccountState(models.TextChoices):
    ACTIVE = "active", "Active"
    LOCKED = "locked", "Locked for an unpaid balance"
    DISABLED = "disabled", "Disabled for an API terms violation"


class ApiAccount(models.Model):
    """A user without a row is active; a row appears at the first state change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="api_account"
    )
    state = models.CharField(max_length=16, choices=AccountState.choices, default=AccountState.ACTIVE)
    # Off: HTTP Basic takes only the account's API passwords (`account_basic_sign_in_password_set`).
    basic_sign_in_password = models.BooleanField("sign-in password works in HTTP Basic", default=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "API account"

    def __str__(self):
        return f"{self.user} ({self.state})"


class AccountStateChange(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_state_changes"
    )
    from_state = models.CharField(max_length=16, choices=AccountState.choices)
    to_state = models.CharField(max_length=16, choices=AccountState.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.user}: {self.from_state} -> {self.to_state}"


class BalanceEntry(models.Model):
    """One line of an account's ledger: a charge raises what is owed, a payment lowers it.

    Entries are never edited or deleted, so the balance is always the sum of its history.
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        PAYMENT = "payment", "Payment received"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="balance_entries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Always positive: the kind says which way it goes.",
    )
    description = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "balance entry"
        verbose_name_plural = "balance entries (charges and payments)"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="balance_entry_amount_positive"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self):
        return self.amount if self.kind == self.Kind.CHARGE else -self.amount


class PaymentNotice(models.Model):
    """A payment provider's notification, kept so each is recorded once (`accounts.payment_notices`)."""

    notice_id = models.CharField("notification id", max_length=200, unique=True)
    entry = models.OneToOneField(BalanceEntry, on_delete=models.CASCADE, related_name="notice")
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received", "-id"]

    def __str__(self):
        return self.notice_id


class ApiPassword(models.Model):
    """A named password for HTTP Basic in place of the account's sign-in password (`accounts.api_passwords`).

    Kept only as Django's password hash, beside a short digest to find its row by (too short to check a
    password with). Revoking one deletes it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_passwords")
    name = models.CharField(max_length=100)
    lookup = models.CharField(
        max_length=16, db_index=True,
        help_text="The first hex digits of the password's SHA-256: finds the row, proves nothing.",
    )
    password_hash = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API password"
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_password_name_unique_per_account"),
        ]

    def __str__(self):
        return f"{self.user}: {self.name}"
