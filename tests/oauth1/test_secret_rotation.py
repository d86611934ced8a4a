"""Rotating a client secret with an overlap: during it a request signed with either secret is
accepted, at the API and at the token endpoints; after it, or with "stop now", only the new one.
Every check reads the client as it is cached (Redis snapshots when configured), so each case first
warms the cache: a rotation must take effect on the very next request."""
from datetime import timedelta

import pytest
from django.utils import timezone

from consumers.services import consumer_secret_rotate
from tests.factories import make_request_token
from tests.oauth1.signing import signed_send

pytestmark = pytest.mark.django_db


def api_status(client, app, token, secret):
    return signed_send(client, "GET", "/v2/products", app, token=token, consumer_secret=secret).status_code


def request_token_status(client, app, secret):
    return signed_send(client, "POST", "/oauth/request_token", app, callback="oob",
                       consumer_secret=secret).status_code


def end_overlap(app):
    """As if the overlap had run out: a save, like any change, so cached copies are forgotten."""
    app.previous_secret_expires_at = timezone.now() - timedelta(seconds=1)
    app.save(update_fields=["previous_secret_expires_at"])


def test_during_the_overlap_either_secret_signs_api_requests_then_only_the_new_one(client, app, alice_token):
    old = app.client_secret
    assert api_status(client, app, alice_token, old) == 200  # cached now
    new = consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert api_status(client, app, alice_token, old) == 200
    assert api_status(client, app, alice_token, new) == 200
    assert api_status(client, app, alice_token, "a guess") == 401
    end_overlap(app)
    assert api_status(client, app, alice_token, old) == 401
    assert api_status(client, app, alice_token, new) == 200


def test_during_the_overlap_either_secret_gets_tokens_then_only_the_new_one(client, app):
    old = app.client_secret
    assert request_token_status(client, app, old) == 200
    new = consumer_secret_rotate(consumer=app, overlap=timedelta(hours=24))
    assert request_token_status(client, app, old) == 200
    assert request_token_status(client, app, new) == 200
    assert request_token_status(client, app, "a guess") == 401
    end_overlap(app)
    assert request_token_status(client, app, old) == 401
    assert request_token_status(client, app, new) == 200


def test_stop_now_ends_the_old_secret_on_the_next_request(client, app, alice_token):
    old = app.client_secret
    assert api_status(client, app, alice_token, old) == 200
    assert request_token_status(client, app, old) == 200
    new = consumer_secret_rotate(consumer=app, overlap=timedelta(0))
    assert api_status(client, app, alice_token, old) == 401
    assert request_token_status(client, app, old) == 401
    assert api_status(client, app, alice_token, new) == 200


def test_a_second_rotation_ends_the_first_overlap(client, app, alice_token):
    first = app.client_secret
    second = consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    third = consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    assert app.secrets_in_force() == (third, second)
    assert api_status(client, app, alice_token, first) == 401
    assert api_status(client, app, alice_token, second) == 200


def test_the_access_token_step_accepts_the_old_secret_during_the_overlap(client, app, alice):
    old = app.client_secret
    request_token = make_request_token(app, authorized_by=alice)
    consumer_secret_rotate(consumer=app, overlap=timedelta(hours=1))
    response = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                           verifier=request_token.verifier, consumer_secret=old)
    assert response.status_code == 200, response.content
