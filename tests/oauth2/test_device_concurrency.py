"""Concurrent wrong codes on `/oauth2/device` cannot pass the limit together (RFC 8628 §5.1): each try is
claimed and counted in one atomic step before its code is looked up, so a guesser firing many at once
gets exactly the limit's number of tries, and a right code tried meanwhile stays uncounted."""
import pytest
from django.test import Client

from consumers.oauth2.device_attempts import WRONG_CODES_PER_USER
from tests.concurrency import all_at_once

pytestmark = pytest.mark.django_db(transaction=True)

GUESSES = 3 * WRONG_CODES_PER_USER


def test_concurrent_wrong_codes_get_exactly_the_limits_number_of_tries(store, alice):
    browsers = []
    for _ in range(GUESSES):  # signed in one after another; the guesses go at once
        browser = Client()
        browser.force_login(alice)
        browsers.append(browser)

    def guess():
        return browsers.pop().post("/oauth2/device", {"user_code": "ZZZZ-ZZZZ"}).status_code

    answers = all_at_once(guess, GUESSES)
    assert sorted(answers) == [400] * WRONG_CODES_PER_USER + [429] * (GUESSES - WRONG_CODES_PER_USER), answers
