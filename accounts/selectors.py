"""Reads of account billing: what is owed and the history behind it."""
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, When

from accounts.models import BalanceEntry

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
