"""Concurrent guesses cannot pass the failed-password limit together: each check is claimed and counted
in one atomic step, in Redis (a script) and in the database fallback (locked rows), so exactly the
limit's number of passwords is checked, never the limit plus the number of workers.

Each case runs on Redis (when the run has one) and on the database fallback (`tests.concurrency`).
"""
import pytest
import requests
from django.contrib.auth import authenticate
from django.test import RequestFactory

from tests.concurrency import all_at_once
from tests.factories import basic_header, make_consumer, make_user
from tests.servers import gunicorn_server

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT, GUESSES = 4, 24


def test_concurrent_wrong_passwords_get_exactly_the_limits_number_of_checks(store, settings):
    settings.FAILED_LOGIN_LIMIT_PER_USERNAME = LIMIT
    settings.FAILED_LOGIN_WINDOW_SECONDS = 3600
    make_user("Aladdin", password="open sesame")

    def guess():
        request = RequestFactory().post("/login", REMOTE_ADDR="198.51.100.66")
        assert authenticate(request, username="Aladdin", password="a guess") is None
        return "cooling off" if getattr(request, "failed_login_cool_off", None) else "checked"

    answers = all_at_once(guess, GUESSES)
    assert answers.count("checked") == LIMIT, answers
    assert answers.count("cooling off") == GUESSES - LIMIT


def test_concurrent_basic_guesses_at_a_multi_worker_server_get_exactly_the_limit(store, settings):
    key = make_consumer(make_user("Aladdin", password="open sesame"))
    env = {"FAILED_LOGIN_LIMIT_PER_USERNAME": str(LIMIT), "FAILED_LOGIN_WINDOW_SECONDS": "3600",
           "REDIS_URL": settings.REDIS_URL}
    with gunicorn_server(workers=3, extra_env=env) as base_url:
        def guess():
            with requests.Session() as http:
                return http.get(f"{base_url}/v2", timeout=60, headers={
                    "Authorization": basic_header("Aladdin", "a guess"), "X-Client-Key": key.client_key,
                }).status_code

        answers = all_at_once(guess, GUESSES)
        assert sorted(answers) == [401] * LIMIT + [429] * (GUESSES - LIMIT), answers
