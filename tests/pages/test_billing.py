"""The billing ledger, the page a billing lock points at, and staff recording payments in the admin."""
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AccountState, BalanceEntry
from accounts.policy import account_state
from accounts.selectors import account_balance_due
from accounts.services import account_charge, account_record_payment, account_suspend
from tests import factories

pytestmark = pytest.mark.django_db


def test_balance_is_charges_minus_payments(aladdin):
    account_charge(user=aladdin, amount="30.00")
    account_charge(user=aladdin, amount="12.50")
    account_record_payment(user=aladdin, amount="20")
    assert account_balance_due(aladdin) == Decimal("22.50")


def test_paying_the_whole_balance_lifts_a_billing_lock(aladdin, staff_user):
    account_charge(user=aladdin, amount="40")
    account_suspend(user=aladdin, reason="billing")
    account_record_payment(user=aladdin, amount="15", recorded_by=staff_user)
    assert account_state(aladdin) == AccountState.LOCKED  # still owes 25
    account_record_payment(user=aladdin, amount="25", recorded_by=staff_user)
    assert account_state(aladdin) == AccountState.ACTIVE
    change = aladdin.api_state_changes.first()
    assert change.changed_by == staff_user and "Balance paid" in change.note


def test_payment_never_lifts_a_terms_disable(aladdin):
    account_charge(user=aladdin, amount="10")
    account_suspend(user=aladdin, reason="terms")
    account_record_payment(user=aladdin, amount="10")
    assert account_state(aladdin) == AccountState.DISABLED


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_amounts_must_be_positive(aladdin, amount):
    with pytest.raises(ValueError):
        account_record_payment(user=aladdin, amount=amount)


def test_billing_page_needs_a_sign_in(client):
    response = client.get("/billing")
    assert response.status_code == 302 and "next=/billing" in response["Location"]


def test_billing_page_shows_what_is_owed_and_how_to_pay(client, aladdin):
    account_charge(user=aladdin, amount="49.90", description="November usage")
    account_suspend(user=aladdin, reason="billing")
    client.force_login(aladdin)
    page = client.get("/billing").content.decode()
    assert "49.90" in page and "November usage" in page
    assert "How to pay" in page and f"ACCT-{aladdin.pk:06d}" in page
    assert "Your API access is locked" in page


def test_staff_record_a_payment_in_the_admin(client, aladdin, staff_user):
    account_charge(user=aladdin, amount="20")
    account_suspend(user=aladdin, reason="billing")
    client.force_login(staff_user)
    response = client.post("/admin/accounts/balanceentry/add/", {
        "user": aladdin.pk, "kind": "payment", "amount": "20.00", "description": "Bank transfer",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = BalanceEntry.objects.get(kind="payment")
    assert payment.recorded_by == staff_user
    assert account_state(aladdin) == AccountState.ACTIVE


def test_the_ledger_cannot_be_edited_or_deleted_in_the_admin(client, aladdin, staff_user):
    entry = account_charge(user=aladdin, amount="20")
    client.force_login(staff_user)
    page = client.get(f"/admin/accounts/balanceentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.get(f"/admin/accounts/balanceentry/{entry.pk}/delete/").status_code == 403


def test_admin_refuses_a_zero_amount(client, aladdin, staff_user):
    client.force_login(staff_user)
    response = client.post("/admin/accounts/balanceentry/add/",
                           {"user": aladdin.pk, "kind": "payment", "amount": "0"})
    assert response.status_code == 200 and not BalanceEntry.objects.exists()


@pytest.fixture
def staff_user(db):
    return factories.make_user("staffer", is_staff=True, is_superuser=True)


def test_amounts_carry_the_currency(client, aladdin, settings):
    settings.BILLING_CURRENCY = "EUR"
    account_charge(user=aladdin, amount="49.90", description="November usage")
    client.force_login(aladdin)
    page = client.get("/billing").content.decode()
    assert "49.90 EUR" in page and '<span class="currency">EUR</span>' in page
    assert "49.90 EUR" in client.get("/").content.decode()


def test_the_currency_defaults_to_usd(client, aladdin):
    client.force_login(aladdin)
    assert '<span class="currency">USD</span>' in client.get("/billing").content.decode()


def test_staff_cannot_lock_for_a_balance_that_is_not_owed(client, aladdin, staff_user):
    client.force_login(staff_user)
    response = client.post("/admin/auth/user/", {"action": "lock_for_unpaid_balance", "apply": "1",
                                                  "_selected_action": [aladdin.pk]}, follow=True)
    assert "Not locked, nothing is owed: Aladdin" in response.content.decode()
    assert account_state(aladdin) == AccountState.ACTIVE
    with pytest.raises(CommandError, match="owes nothing"):
        call_command("suspend", "Aladdin", "--billing")
    assert account_state(aladdin) == AccountState.ACTIVE


def test_a_lock_without_a_balance_needs_a_note_and_the_page_shows_the_way_out(client, aladdin):
    call_command("suspend", "Aladdin", "--billing", "--note", "Card charge reversed by the bank")
    assert account_state(aladdin) == AccountState.LOCKED
    client.force_login(aladdin)
    page = client.get("/billing").content.decode()
    assert "nothing is owed now" in page and "mailto:support@example.com" in page
    assert f"ACCT-{aladdin.pk:06d}" in page


# --- How to pay: the provider's link, bank details, or staff; never a dead end --------------------------


def billing_page(client, user):
    client.force_login(user)
    return client.get("/billing").content.decode()


def test_the_payment_link_carries_the_account_and_the_amount_url_encoded(client, settings):
    settings.BILLING_CURRENCY = "EUR"
    settings.BILLING_PAYMENT_URL = "https://pay.example/checkout?account={account}&amount={amount}&currency={currency}"
    odd = factories.make_user("ann+o'neil@x&y")
    account_charge(user=odd, amount="12.5")
    page = billing_page(client, odd)
    assert ('href="https://pay.example/checkout?account=ann%2Bo%27neil%40x%26y&amp;amount=12.50&amp;currency=EUR"'
            in page)
    assert "Pay 12.50 EUR now" in page


def test_bank_details_from_the_settings_with_the_reference(client, aladdin, settings):
    settings.BILLING_BANK_DETAILS = ["Example Ltd", "IBAN GB33 BUKB 2020 1555 5555 55", "BIC BUKBGB22"]
    account_charge(user=aladdin, amount="20")
    page = billing_page(client, aladdin)
    assert "Example Ltd<br>IBAN GB33 BUKB 2020 1555 5555 55<br>BIC BUKBGB22" in page
    assert f"ACCT-{aladdin.pk:06d}" in page and "Pay 20.00" not in page


def test_with_neither_configured_the_page_says_how_to_reach_staff(client, aladdin):
    account_charge(user=aladdin, amount="20")
    page = billing_page(client, aladdin)
    assert "we will tell you how to pay" in page and 'href="/contact"' in page
    assert "mailto:support@example.com" in page


def test_the_payment_link_is_there_only_while_something_is_owed(client, aladdin, settings):
    settings.BILLING_PAYMENT_URL = "https://pay.example/checkout?amount={amount}"
    assert "pay.example" not in billing_page(client, aladdin)
    account_charge(user=aladdin, amount="5")
    assert 'href="https://pay.example/checkout?amount=5.00"' in client.get("/billing").content.decode()


def test_access_comes_back_is_promised_only_while_locked(client, aladdin):
    account_charge(user=aladdin, amount="20")
    assert "not affected by this balance" in billing_page(client, aladdin)
    account_suspend(user=aladdin, reason="billing")
    page = client.get("/billing").content.decode()
    assert "comes back on the very next request" in page and "not affected" not in page
