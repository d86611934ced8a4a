"""Which callbacks fall under a registration (docs/contract.md, "OAuth 1.0a": same scheme,
host and port; path prefix)."""
import pytest

from consumers.models import Consumer
from consumers.oauth1.policy import callback_refusal

REGISTERED = "https://printer.example.com/oauth/ready"


@pytest.mark.parametrize("callback", [
    "oob",
    REGISTERED,
    REGISTERED + "?state=1",
    REGISTERED + "/step",
    "HTTPS://Printer.Example.com/oauth/ready",
    "https://printer.example.com:443/oauth/ready",
])
def test_accepted(callback):
    assert callback_refusal(Consumer(callback_url=REGISTERED), callback) is None


@pytest.mark.parametrize("callback", [
    "http://printer.example.com/oauth/ready",  # scheme
    "https://evil.example.com/oauth/ready",  # host
    "https://printer.example.com.evil.com/oauth/ready",
    "https://printer.example.com:8443/oauth/ready",  # port
    "https://printer.example.com/oauth/readyish",  # not on a segment boundary
    "https://printer.example.com/oauth",
    "https://printer.example.com/oauth/ready/../../steal",  # climbs out once normalized
    "https://printer.example.com/oauth/ready/%2e%2e/%2E%2e/steal",
    "https://evil.com@printer.example.com/oauth/ready",  # userinfo
    "https://printer.example.com\\@evil.com/oauth/ready",
    "https://printer.example.com:99999/oauth/ready",
    "javascript:alert(1)",
    "",
    "https://printer.example.com/oauth/ready/" + "a" * 3000,
])
def test_refused(callback):
    assert callback_refusal(Consumer(callback_url=REGISTERED), callback) is not None


def test_only_oob_without_a_registered_callback():
    consumer = Consumer(callback_url="")
    assert callback_refusal(consumer, "oob") is None
    assert callback_refusal(consumer, REGISTERED) is not None


def test_a_registered_path_ending_in_a_slash_is_a_prefix():
    consumer = Consumer(callback_url="https://printer.example.com/cb/")
    assert callback_refusal(consumer, "https://printer.example.com/cb/anything") is None
    assert callback_refusal(consumer, "https://printer.example.com/cbx") is not None
