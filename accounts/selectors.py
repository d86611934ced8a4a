"""Reads of accounts: what is owed and the history behind it; the account's API passwords."""
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.db.models import Case, DecimalField, F, Sum, When

from accounts.models import ApiPassword, BalanceEntry

_SIGNED = Case(
    When(kind=BalanceEntry.Kind.CHARGE, then=F("amount")),
    default=-F("amount"),
    output_field=DecimalField(max_digits=12, decimal_places=2),
)


def account_balance_due(user):
    """Charges minus payments; zero or less means nothing is owed."""
    total = BalanceEntry.objects.filter(user_id=user.pk).aggregate(total=Sum(_SIGNED))["total"]
    return (total or Decimal("0")).quantize(Decimal("0.01"))


def balance_entries_of(user, limit=50):
    return BalanceEntry.objects.filter(user_id=user.pk).select_related("recorded_by")[:limit]


def account_payment_reference(user):
    """What a user quotes with a bank transfer so staff can match the payment to the account."""
    return f"ACCT-{user.pk:06d}"


def account_payment_link(user, amount):
    """The payment provider's checkout for `amount` (BILLING_PAYMENT_URL filled in, each value
    URL-encoded), or "" when none is configured or nothing is owed."""
    if not settings.BILLING_PAYMENT_URL or amount <= 0:
        return ""
    values = {"account": user.get_username(), "amount": f"{amount:.2f}", "currency": settings.BILLING_CURRENCY,
              "reference": account_payment_reference(user)}
    return settings.BILLING_PAYMENT_URL.format(**{name: quote(value, safe="") for name, value in values.items()})


def api_passwords_of(user):
    """The account's API passwords, newest first (each with its name, creation and last use)."""
    return ApiPassword.objects.filter(user_id=user.pk)
