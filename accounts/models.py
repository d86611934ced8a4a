"""Each user's API account state and the history of who changed it, when and why.

The state is separate from Django's `is_active`: a locked user can still sign in to pay.
"""
from django.conf import settings
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
