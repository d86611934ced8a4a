"""`manage.py createconsumer`: staff register a client for a user and hand over key and secret."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from consumers.models import Consumer
from tests.factories import basic_header


def create(*args):
    out = StringIO()
    call_command("createconsumer", *args, stdout=out)
    return out.getvalue()


def test_json_output_holds_a_working_key_and_secret(client, aladdin, password):
    printed = json.loads(create("Aladdin", "--name", "CLI app", "--json"))
    assert set(printed) == {"client_key", "client_secret", "scopes"}
    assert sorted(printed["scopes"]) == ["account:read", "products:read", "products:write"]
    consumer = Consumer.objects.get(client_id=printed["client_key"])
    assert consumer.client_secret == printed["client_secret"]
    assert consumer.callback_url == ""  # oob only
    response = client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                          HTTP_X_CLIENT_KEY=printed["client_key"])
    assert response.status_code == 200


def test_scope_and_callback_are_recorded(aladdin):
    printed = json.loads(create("Aladdin", "--name", "Reader", "--scope", "products:read account:read",
                                "--callback", "https://app.example.com/cb", "--json"))
    assert printed["scopes"] == ["account:read", "products:read"]
    assert Consumer.objects.get(client_id=printed["client_key"]).callback_url == "https://app.example.com/cb"


def test_plain_output_names_key_and_secret(aladdin):
    printed = create("Aladdin", "--name", "Plain")
    consumer = Consumer.objects.get()
    assert consumer.client_key in printed and consumer.client_secret in printed


def test_keys_and_secrets_are_long_and_distinct(aladdin):
    issued = [json.loads(create("Aladdin", "--name", f"app {n}", "--json")) for n in range(5)]
    keys = {item["client_key"] for item in issued}
    secrets = {item["client_secret"] for item in issued}
    assert len(keys) == len(secrets) == 5
    assert all(len(key) >= 32 for key in keys) and all(len(secret) >= 43 for secret in secrets)


@pytest.mark.parametrize("args,message", [
    (["nobody", "--name", "x"], "No user named"),
    (["Aladdin", "--name", "x", "--scope", "products:delete"], "Unknown scope"),
    (["Aladdin", "--name", "x", "--scope", " "], "at least one scope"),
    (["Aladdin", "--name", "x", "--callback", "not a url"], "not an http"),
])
def test_bad_input_is_refused_and_nothing_is_created(aladdin, args, message):
    with pytest.raises(CommandError, match=message):
        create(*args)
    assert not Consumer.objects.exists()
