"""/docs/authentication's OAuth 2.0 section: this deployment's URLs, and its examples run as shown
against a live server (curl, and Python with requests-oauthlib)."""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client

from consumers.oauth1.models import AccessToken
from consumers.oauth2.exchange import oauth1_access_token_exchange
from deploy.certificates import certificates_make
from tests import factories, servers
from tests.pages.test_docs import guide, text_of

pytestmark = pytest.mark.django_db
needs_curl = pytest.mark.skipif(not shutil.which("curl") and not os.environ.get("CI"), reason="curl is not installed")


def example(client, live_server, example_id):
    code = text_of(guide(client, host=urlsplit(live_server.url).netloc), "id", example_id)
    assert live_server.url in code
    return code


def run(code, language, env, **kwargs):
    command = ["bash", "-c", code] if language == "bash" else [sys.executable, "-c", code]
    return subprocess.run(command, env={**os.environ, "OAUTHLIB_INSECURE_TRANSPORT": "1", **env},
                          capture_output=True, text=True, timeout=60, **kwargs)


def credentials(app):
    return {"CLIENT_KEY": app.client_key, "CLIENT_SECRET": app.client_secret}


def introspect(live_server, app, access_token):
    return requests.post(f"{live_server.url}/oauth2/introspect", data={"token": access_token},
                         auth=(app.client_key, app.client_secret)).json()


def test_every_oauth2_url_of_the_guide_is_this_deployments(client):
    page = guide(client)
    for name, path in [("oauth2_authorize", "/oauth2/authorize"), ("oauth2_token", "/oauth2/token"),
                       ("oauth2_device_authorization", "/oauth2/device_authorization"),
                       ("oauth2_device", "/oauth2/device"), ("oauth2_revoke", "/oauth2/revoke_token"),
                       ("oauth2_introspect", "/oauth2/introspect"),
                       ("oauth2_metadata", "/.well-known/oauth-authorization-server")]:
        assert text_of(page, "data-url", name) == f"http://testserver{path}"


@pytest.mark.live
@needs_curl
def test_the_client_credentials_curl_example_gets_a_token_for_the_owner(client, live_server, app):
    result = run(example(client, live_server, "oauth2-client-credentials-curl"), "bash", credentials(app))
    assert result.returncode == 0, result.stderr
    token = json.loads(result.stdout)
    assert token["token_type"] == "Bearer"
    assert introspect(live_server, app, token["access_token"])["username"] == "developer"


@pytest.mark.live
@needs_curl
def test_the_refresh_curl_example_gives_a_new_pair(client, live_server, app, alice_token):
    pair = oauth1_access_token_exchange(access_token=alice_token, scopes=alice_token.scope_list,
                                        uri=f"{live_server.url}/oauth2/token")
    result = run(example(client, live_server, "oauth2-refresh-curl"), "bash",
                 {**credentials(app), "REFRESH_TOKEN": pair["refresh_token"]})
    assert result.returncode == 0, result.stderr
    refreshed = json.loads(result.stdout)
    assert refreshed["refresh_token"] != pair["refresh_token"]
    assert introspect(live_server, app, refreshed["access_token"])["username"] == "alice"


@pytest.mark.live
def test_the_exchange_example_turns_the_oauth1_token_into_an_oauth2_pair(client, live_server, app, alice_token):
    env = {**credentials(app), "TOKEN": alice_token.key, "TOKEN_SECRET": alice_token.secret}
    result = run(example(client, live_server, "oauth2-exchange-python"), "python", env)
    assert result.returncode == 0, result.stderr
    tokens = ast.literal_eval(result.stdout.strip())
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    assert introspect(live_server, app, tokens["access_token"])["username"] == "alice"
    assert not AccessToken.objects.live().filter(pk=alice_token.pk).exists()


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_device_example_gets_tokens_once_the_user_approves_on_the_page(client, live_server, settings, app, alice):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "DEVICE_FLOW_INTERVAL": 1}
    code = example(client, live_server, "oauth2-device-python")
    device = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **credentials(app)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        shown = device.stdout.readline()
        user_code = re.search(r"type ([A-Z0-9]{4}-[A-Z0-9]{4})", shown).group(1)
        assert f"open {live_server.url}/oauth2/device and type" in shown
        person = Client()
        person.force_login(alice)
        assert person.post("/oauth2/device", {"user_code": user_code, "decision": "authorize"}).status_code == 302
        out, err = device.communicate(timeout=30)
    finally:
        device.kill()
    assert device.returncode == 0, err
    tokens = ast.literal_eval(out.strip())
    assert introspect(live_server, app, tokens["access_token"])["username"] == "alice"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_authorization_code_example_runs_as_shown(client, live_server, app, alice):
    """The PKCE example, with a person approving on the consent page: products, then after a refresh,
    products again, with the refreshed token."""
    factories.make_product(alice, name="Lamp")
    code = example(client, live_server, "oauth2-code-python")
    env = {**os.environ, **credentials(app), "CALLBACK_URL": app.callback_url, "OAUTHLIB_INSECURE_TRANSPORT": "1"}
    script = subprocess.Popen([sys.executable, "-c", code], env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        script.stdout.readline()  # "Open this page, approve, ..."
        url = script.stdout.readline().strip()
        assert url.startswith(f"{live_server.url}/oauth2/authorize?")
        person = Client()
        person.force_login(alice)
        approved = person.post(url.removeprefix(live_server.url), {"decision": "authorize"})
        assert approved.status_code == 302, approved.content
        out, err = script.communicate(approved["Location"] + "\n", timeout=30)
    finally:
        script.kill()
    assert script.returncode == 0, err
    assert out.count("'Lamp'") == 2, out


@pytest.mark.live
def test_the_client_credentials_example_reads_the_owners_products(client, live_server, app, developer):
    factories.make_product(developer, name="Lamp")
    result = run(example(client, live_server, "oauth2-client-credentials-python"), "python", credentials(app))
    assert result.returncode == 0, result.stderr
    assert "'Lamp'" in result.stdout, result.stdout


@pytest.mark.live
@needs_curl
def test_the_bearer_curl_example_reads_products(client, live_server, app, alice_token, alice):
    factories.make_product(alice, name="Lamp")
    pair = oauth1_access_token_exchange(access_token=alice_token, scopes=alice_token.scope_list,
                                        uri=f"{live_server.url}/oauth2/token")
    result = run(example(client, live_server, "oauth2-bearer-curl"), "bash", {"ACCESS_TOKEN": pair["access_token"]})
    assert result.returncode == 0, result.stderr
    assert [product["name"] for product in json.loads(result.stdout)["results"]] == ["Lamp"]


@contextmanager
def https_server(directory):
    """gunicorn serving TLS itself on a spare loopback port (a certificate from a CA made for the test), on
    the test database; yields (base URL, the CA's file)."""
    ca, certificate, key = (str(path) for path in certificates_make(directory))
    port = servers.free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "apiproject.settings_test",
           "DATABASE_URL": servers.test_database_url(), "REDIS_URL": django_settings.REDIS_URL}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "apiproject.wsgi:application", "--workers", "1",
                               "--bind", f"127.0.0.1:{port}", "--certfile", certificate, "--keyfile", key,
                               "--log-level", "warning"], cwd=servers.PROJECT_DIR, env=env, stdout=subprocess.DEVNULL)
    base_url = f"https://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base_url}/v2/status", verify=ca, timeout=5)
                break
            except requests.RequestException:
                assert server.poll() is None, "gunicorn exited"
                time.sleep(0.2)
        yield base_url, ca
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_the_authorization_code_example_runs_over_https_with_a_loopback_http_callback(client, alice, tmp_path):
    """As a command-line tool or desktop app would use it (RFC 8252 §7.3): the server over HTTPS, the
    callback an http:// address on the user's computer, and no OAUTHLIB_INSECURE_TRANSPORT."""
    factories.make_product(alice, name="Lamp")
    app = factories.make_consumer(factories.make_user("developer"), name="Desktop tool",
                                  callback_url="http://127.0.0.1:8765/callback")
    with https_server(tmp_path) as (base_url, ca):
        page = client.get("/docs/authentication", HTTP_HOST=urlsplit(base_url).netloc, secure=True).content.decode()
        code = text_of(page, "id", "oauth2-code-python")
        assert f"{base_url}/oauth2/token" in code
        env = {**{k: v for k, v in os.environ.items() if k != "OAUTHLIB_INSECURE_TRANSPORT"}, **credentials(app),
               "CALLBACK_URL": app.callback_url, "REQUESTS_CA_BUNDLE": ca}
        script = subprocess.Popen([sys.executable, "-c", code], env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            script.stdout.readline()  # "Open this page, approve, ..."
            url = script.stdout.readline().strip()
            assert url.startswith(f"{base_url}/oauth2/authorize?")
            person = Client()
            person.force_login(alice)
            approved = person.post(url.removeprefix(base_url), {"decision": "authorize"}, secure=True)
            assert approved["Location"].startswith("http://127.0.0.1:8765/callback?"), approved
            out, err = script.communicate(approved["Location"] + "\n", timeout=30)
        finally:
            script.kill()
    assert script.returncode == 0, err
    assert out.count("'Lamp'") == 2, out
