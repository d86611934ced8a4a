"""The audit trail: who did what to which account, client or token, when, and from which IP.

Append-only: written by the services that make the changes, read-only in the admin. It never holds a
secret: `subject` names the account or client (username, client key), `detail` the facts around it.
"""
from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        ACCOUNT_STATE_CHANGED = "account_state_changed", "Account state changed"
        FAILED_LOGINS_CLEARED = "failed_logins_cleared", "Failed sign-ins cleared"
        PAYMENT_RECEIVED = "payment_received", "Payment received"
        API_PASSWORD_CREATED = "api_password_created", "API password created"
        API_PASSWORD_REVOKED = "api_password_revoked", "API password revoked"
        BASIC_SIGN_IN_PASSWORD_SET = "basic_sign_in_password_set", "Sign-in password in HTTP Basic turned on or off"
        CLIENT_REGISTERED = "client_registered", "Client registered"
        CLIENT_UPDATED = "client_updated", "Client details changed"
        CLIENT_SECRET_ROTATED = "client_secret_rotated", "Client secret rotated"
        CLIENT_REVOKED = "client_revoked", "Client revoked"
        CLIENT_REINSTATED = "client_reinstated", "Client reinstated"
        CLIENT_REVIEWED = "client_reviewed", "Client reviewed"
        TOKEN_APPROVED = "token_approved", "OAuth access approved"
        TOKEN_REVOKED = "token_revoked", "OAuth access token revoked"

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # Kept when the user is deleted: the event stays, "who" becomes unknown rather than the row going.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Empty for the command line and the system.",
    )
    actor_ip = models.GenericIPAddressField("actor IP", null=True, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    subject = models.CharField(max_length=200, blank=True, db_index=True,
                               help_text="The username or client key concerned; never a secret.")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "audit event"

    def __str__(self):
        return f"{self.get_action_display()}: {self.subject}"
