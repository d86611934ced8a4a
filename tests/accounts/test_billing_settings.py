"""The billing settings in the typed configuration: how to pay and the notification secret, checked as
they load, each problem naming its variable (a secret never shown)."""
import pytest

from apiproject.config import ConfigurationError, ProjectConfig

TEMPLATE = "https://pay.example/checkout?account={account}&amount={amount}&currency={currency}&ref={reference}"
SECRET = "whsec-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_unset_means_no_link_no_bank_details_and_notifications_off():
    config = ProjectConfig.from_environ({"DEBUG": "1"})
    assert (config.BILLING_PAYMENT_URL, config.BILLING_BANK_DETAILS, config.BILLING_WEBHOOK_SECRET,
            config.BILLING_WEBHOOK_TOLERANCE_SECONDS) == ("", (), "", 300)


def test_well_formed_billing_settings_load():
    config = ProjectConfig.from_environ({
        "SECRET_KEY": "k" * 50, "BILLING_PAYMENT_URL": TEMPLATE, "BILLING_WEBHOOK_SECRET": SECRET,
        "BILLING_BANK_DETAILS": "Example Ltd; IBAN GB33 BUKB 2020 1555 5555 55 ;BIC BUKBGB22;",
        "BILLING_WEBHOOK_TOLERANCE_SECONDS": "120"})
    assert config.BILLING_PAYMENT_URL == TEMPLATE and config.BILLING_WEBHOOK_SECRET == SECRET
    assert config.BILLING_BANK_DETAILS == ("Example Ltd", "IBAN GB33 BUKB 2020 1555 5555 55", "BIC BUKBGB22")
    assert config.BILLING_WEBHOOK_TOLERANCE_SECONDS == 120


@pytest.mark.parametrize("value, says", [
    ("https://pay.example/?a={amount}&u={user}", "may use only the placeholders {account}, {amount}"),
    ("https://pay.example/?a={amount.real}", "may use only the placeholders"),
    ("https://pay.example/?a={amount!r}", "may use only the placeholders"),
    ("https://pay.example/?a={}", "may use only the placeholders"),
    ("https://pay.example/?a={amount", "may use only the placeholders"),
    ("pay.example/?a={amount}", "must be an https:// URL"),
    ("javascript:alert(1)//{amount}", "must be an https:// URL"),
    ("https://[::1/?a={amount}", "must be an https:// URL"),
])
def test_a_malformed_payment_url_is_named(value, says):
    with pytest.raises(ConfigurationError) as raised:
        ProjectConfig.from_environ({"DEBUG": "1", "BILLING_PAYMENT_URL": value})
    assert raised.value.problems[0].startswith(f"BILLING_PAYMENT_URL {says}")


def test_production_wants_https_for_the_payment_link():
    with pytest.raises(ConfigurationError, match="BILLING_PAYMENT_URL must be an https:// URL when DEBUG is off"):
        ProjectConfig.from_environ({"SECRET_KEY": "k" * 50, "BILLING_PAYMENT_URL": "http://pay.example/{amount}"})
    assert ProjectConfig.from_environ({"DEBUG": "1", "BILLING_PAYMENT_URL": "http://127.0.0.1:9/{amount}"})


def test_a_short_webhook_secret_is_refused_without_being_shown():
    with pytest.raises(ConfigurationError) as raised:
        ProjectConfig.from_environ({"DEBUG": "1", "BILLING_WEBHOOK_SECRET": "hunter2-short"})
    assert raised.value.problems == [
        "BILLING_WEBHOOK_SECRET must be at least 32 characters (value not shown); expected a random string "
        "of 32 characters or more, or unset"]


@pytest.mark.parametrize("value", ["10", "3601", "5m"])
def test_the_replay_window_is_bounded(value):
    with pytest.raises(ConfigurationError, match="BILLING_WEBHOOK_TOLERANCE_SECONDS must be"):
        ProjectConfig.from_environ({"DEBUG": "1", "BILLING_WEBHOOK_TOLERANCE_SECONDS": value})
