"""Simultaneous requests with one authorization code or one refresh token (issue 26, items 6 and 7):
real concurrent requests, threads against a live server, on PostgreSQL (SQLite takes one writer at a
time, so it cannot show a race). Exactly one request gets tokens; every other one gets `invalid_grant`,
never a 500 nor a token pair with empty tokens."""
import pytest
import requests
from django.db import connection
from oauth2_provider.models import get_access_token_model

from tests.concurrency import all_at_once
from tests.oauth2.helpers import approved_code, approved_tokens

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]

AT_ONCE = 8


def one_winner(answers):
    """Exactly one 200 with both tokens; every other answer `invalid_grant`."""
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [400] * (AT_ONCE - 1), answers
    winner = next(body for status, body in answers if status == 200)
    assert winner["access_token"] and winner["refresh_token"], winner
    assert {body["error"] for status, body in answers if status == 400} == {"invalid_grant"}, answers


def test_simultaneous_refreshes_with_one_refresh_token_give_one_pair(live_server, app, alice):
    refresh_token = approved_tokens(app, alice)["refresh_token"]

    def refresh():
        response = requests.post(f"{live_server.url}/oauth2/token", auth=(app.client_key, app.client_secret),
                                 data={"grant_type": "refresh_token", "refresh_token": refresh_token})
        return response.status_code, response.json()

    one_winner(all_at_once(refresh, AT_ONCE))


def test_simultaneous_redemptions_of_one_code_give_one_pair(live_server, app, alice):
    code, verifier = approved_code(app, alice)

    def redeem():
        response = requests.post(f"{live_server.url}/oauth2/token", auth=(app.client_key, app.client_secret),
                                 data={"grant_type": "authorization_code", "code": code,
                                       "redirect_uri": app.callback_url, "code_verifier": verifier})
        return response.status_code, response.json()

    one_winner(all_at_once(redeem, AT_ONCE))
    # A loser stored nothing (the winner's pair may be gone too: a code used again ends its tokens).
    assert get_access_token_model().objects.count() <= 1
