"""Registered clients become django-oauth-toolkit's applications without losing anything: a client
registered before the change keeps its key and secret, and they work with OAuth 2.0 and OAuth 1.0a."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from consumers.models import Consumer
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import client_auth

BEFORE = [("consumers", "0007_consumer_signature_debug")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_client_registered_before_keeps_its_key_and_secret():
    old_apps = migrate(BEFORE)
    owner = old_apps.get_model("auth", "User").objects.create(username="early-developer")
    old_apps.get_model("consumers", "Consumer").objects.create(
        user=owner, name="Early app", client_id="early-client-key", client_secret="early-client-secret",
        scopes="account:read products:read",
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    app = Consumer.objects.get(client_id="early-client-key")
    assert app.client_secret == "early-client-secret"
    http = Client()
    response = http.post("/oauth2/token", {"grant_type": "client_credentials"}, **client_auth(app))
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "account:read products:read"
    response = signed_send(http, "POST", "/oauth/request_token", app, callback="oob")
    assert response.status_code == 200, response.content
