"""/docs/authentication with this deployment's URLs, pasteable curl, a worked signature; the OpenAPI docs."""
import base64
import hashlib
import hmac
import html
import json
import os
import re
import shutil
import subprocess
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import yaml

from tests import factories

pytestmark = pytest.mark.django_db


def text_of(page, attribute, name):
    match = re.search(rf'<[^>]+{attribute}="{re.escape(name)}"[^>]*>(.*?)</', page, re.S)
    assert match, f"{attribute}={name} not on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def guide(client, host="testserver"):
    response = client.get("/docs/authentication", HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def test_every_blank_of_the_guide_has_this_deployments_url(client):
    page = guide(client)
    assert text_of(page, "data-url", "registration") == "http://testserver/apps/"
    assert text_of(page, "data-url", "request_token") == "http://testserver/oauth/request_token"
    assert text_of(page, "data-url", "authorize") == "http://testserver/oauth/authorize"
    assert text_of(page, "data-url", "access_token") == "http://testserver/oauth/access_token"
    assert "HMAC-SHA1</code> or <code>PLAINTEXT" in page
    assert "QWxhZGRpbjpvcGVuIHNlc2FtZQ==" in page


def test_the_error_catalogue_uses_the_apis_own_texts(client):
    page = html.unescape(guide(client))
    for text in [
        '"message": "Could not authenticate:"',
        '"message": "No API Access"',
        '"additional": "The authenticated account is locked due to an unpaid balance."',
        '"reference": "http://testserver/billing"',
        '"message": "API Access is disabled"',
        '"additional": "API access has been disabled for this user due to API terms violation."',
        '"reference": "http://testserver/contact"',
        '"message": "Must give an app key via X-Client-Key header or client_key query string parameter"',
        "// HTTP 400", "// HTTP 401", "// HTTP 403",
    ]:
        assert text in page


def test_curl_examples_have_placeholders_for_strangers(client):
    page = guide(client)
    assert text_of(page, "id", "curl-header") == (
        'curl -u "USERNAME:$API_PASSWORD" -H "X-Client-Key: YOUR_CLIENT_KEY" "http://testserver/v2/products"')
    assert text_of(page, "id", "curl-query") == (
        'curl -u "USERNAME:$API_PASSWORD" "http://testserver/v2/products?client_key=YOUR_CLIENT_KEY"')


def test_curl_examples_use_the_developers_own_key(client, aladdin):
    factories.make_consumer(aladdin, scopes="account:read", name="no products")
    reader = factories.make_consumer(aladdin, scopes="products:read", name="reader")
    client.force_login(aladdin)
    page = guide(client)
    assert f'-H "X-Client-Key: {reader.client_key}"' in text_of(page, "id", "curl-header")
    assert text_of(page, "id", "curl-query").startswith('curl -u "Aladdin:$API_PASSWORD"')


@pytest.mark.live
@pytest.mark.skipif(not shutil.which("curl") and not os.environ.get("CI"), reason="curl is not installed")
@pytest.mark.parametrize("example", ["curl-header", "curl-query"])
def test_pasted_curl_example_gets_200(client, live_server, aladdin, password, example):
    factories.make_consumer(aladdin, scopes="products:read")
    factories.make_product(aladdin, name="Lamp")
    client.force_login(aladdin)
    command = text_of(guide(client, host=urlsplit(live_server.url).netloc), "id", example)
    assert command.startswith("curl -u \"Aladdin:$API_PASSWORD\"") and live_server.url in command
    result = subprocess.run(["bash", "-c", command], env={**os.environ, "API_PASSWORD": password},
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["count"] == 1 and body["results"][0]["name"] == "Lamp"


def test_walkthrough_signature_matches_an_independent_hmac_sha1(client):
    page = guide(client)
    value = lambda name: text_of(page, "data-example", name)  # noqa: E731
    url = "http://testserver/v2/products?page=2"
    assert f"GET {url}" in html.unescape(page)

    # RFC 5849 §3.4 by hand: percent-encode, sort, join; HMAC-SHA1 keyed by both secrets.
    encode = lambda text: quote(text, safe="~")  # noqa: E731
    params = parse_qsl(urlsplit(url).query) + [
        ("oauth_consumer_key", value("client_key")), ("oauth_token", value("token")),
        ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", value("oauth_timestamp")),
        ("oauth_nonce", value("oauth_nonce")), ("oauth_version", "1.0"),
    ]
    normalized = "&".join(f"{k}={v}" for k, v in sorted((encode(k), encode(v)) for k, v in params))
    base_string = "&".join([
        "GET", encode("http://testserver/v2/products"), encode(normalized)])
    key = f'{encode(value("client_secret"))}&{encode(value("token_secret"))}'
    signature = base64.b64encode(hmac.new(key.encode(), base_string.encode(), hashlib.sha1).digest()).decode()

    assert value("normalized_params") == normalized
    assert value("base_string") == base_string
    assert value("signing_key") == key
    assert value("signature") == signature
    assert f'oauth_signature="{encode(signature)}"' in value("authorization_header")


@pytest.mark.parametrize("path", ["/v2/schema", "/v2/schema/"])
def test_openapi_schema_is_public_yaml_or_json(client, path):
    as_yaml = client.get(path)
    assert as_yaml.status_code == 200 and "openapi" in as_yaml["Content-Type"]
    schema = yaml.safe_load(as_yaml.content)
    assert schema["openapi"].startswith("3.")
    assert {"/v2", "/v2/products", "/v2/products/{id}", "/v2/status"} <= set(schema["paths"])
    assert {"basicAuth", "clientKeyHeader", "clientKeyQuery"} <= set(schema["components"]["securitySchemes"])
    # OAuth 1.0a has no OpenAPI type: an apiKey stand-in only misled Swagger UI's Authorize dialog.
    assert "oauth1" not in schema["components"]["securitySchemes"]
    assert client.get(path, HTTP_ACCEPT="application/json").json()["openapi"] == schema["openapi"]
    assert client.get(path, {"format": "json"}).json()["paths"].keys() == schema["paths"].keys()


def test_openapi_documents_the_error_shape(client):
    schema = client.get("/v2/schema", {"format": "json"}).json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["status", "message", "additional", "reference"]
    assert "403" in schema["paths"]["/v2/products"]["get"]["responses"]


def test_api_reference_page_serves_its_own_assets(client):
    page = client.get("/docs/api").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    scripts = [url for url in assets if url.endswith(".js")]
    assert any("swagger-ui" in url for url in scripts)
    for url in scripts:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "/v2/schema" in page


def test_walkthrough_request_passes_oauthlibs_verification(client):
    """The same check the OAuth endpoints run: the page's header verifies with the page's secrets."""
    from oauthlib.common import Request
    from oauthlib.oauth1.rfc5849 import signature

    page = guide(client)
    value = lambda name: text_of(page, "data-example", name)  # noqa: E731
    header = value("authorization_header").removeprefix("Authorization: ")
    request = Request("http://testserver/v2/products?page=2", "GET", headers={"Authorization": header})
    request.params = signature.collect_parameters(uri_query="page=2", headers={"Authorization": header})
    request.signature = dict(signature.collect_parameters(
        headers={"Authorization": header}, exclude_oauth_signature=False))["oauth_signature"]
    assert signature.verify_hmac_sha1(request, value("client_secret"), value("token_secret"))
    assert not signature.verify_hmac_sha1(request, "wrong", value("token_secret"))


def test_the_error_catalogue_lists_the_review_refusal(client):
    page = html.unescape(guide(client))
    assert '"message": "App not yet approved"' in page
    assert '"additional": "This app is awaiting review and can only be used by its owner\'s account."' in page


# --- OAuth 1.0a: protocol rules, token-endpoint errors, transports, client libraries ------------------


def test_the_guide_states_the_nonce_and_version_rules(client):
    page = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", guide(client))))
    assert "oauth_nonce: any 1 to 255 characters among letters, digits and - . _ ~" in page
    assert "when sent it is 1.0 (1.0a and 1.0A, which some libraries send, are taken as 1.0)" in page
    assert "the granted scopes as scope" in page


@pytest.mark.parametrize("debug", [True, False])
def test_the_plaintext_rule_is_the_one_in_force(client, settings, debug):
    settings.DEBUG = debug
    rule = text_of(guide(client), "id", "plaintext-rule")
    assert rule == ("this one does, so PLAINTEXT is accepted over HTTP here" if debug
                    else "this one does not, so PLAINTEXT over HTTP is refused with 400")


def token_error_rows(page):
    table = re.search(r'<table id="token-error-table".*?</table>', page, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                 for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append((int(cells[2]), cells[3], re.sub(r"\s+", " ", cells[4])))
    return rows


def test_every_token_endpoint_refusal_is_on_the_page_in_the_endpoints_words(client, developer_app, settings):
    """Each refusal the token endpoints give, provoked for real, is a row of the page's table."""
    from oauthlib.oauth1 import SIGNATURE_PLAINTEXT

    from accounts.services import account_suspend
    from consumers.oauth1.services import request_token_authorize
    from consumers.services import consumer_revoke
    from tests.oauth1.signing import sign, signed_send

    app, owner, alice = developer_app
    documented = token_error_rows(guide(client))
    answers = []

    def answer(response):
        body = response.json()
        answers.append((response.status_code, body["message"], body["additional"]))

    def raw(path, authorization=None, query="", body=None):
        extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
        if body is not None:
            return client.post(path + query, body, content_type="application/x-www-form-urlencoded", **extra)
        return client.post(path + query, **extra)

    header = sign("POST", "/oauth/request_token", app, callback="oob")[1]["Authorization"]
    answer(raw("/oauth/request_token", header.replace('oauth_version="1.0"', "oauth_version=1.0")))
    answer(raw("/oauth/request_token", re.sub(r'oauth_nonce="[^"]*"', 'oauth_nonce="a b"', header)))
    answer(raw("/oauth/request_token", query="?oauth_consumer_key=%zz"))
    answer(raw("/oauth/request_token", header + ', oauth_nonce="again"'))
    answer(raw("/oauth/request_token", header.replace('"HMAC-SHA1"', '"RSA-SHA1"')))
    answer(raw("/oauth/request_token", header.replace('oauth_version="1.0"', 'oauth_version="2.0"')))
    answer(raw("/oauth/request_token", header, query="?oauth_token=other"))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob",
                       signature_method=SIGNATURE_PLAINTEXT))
    answer(raw("/oauth/request_token", 'OAuth oauth_consumer_key="' + app.client_key + '"'))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob", timestamp="17"))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob", nonce="a" * 256))
    answer(signed_send(client, "POST", "/oauth/request_token", app))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob", timestamp="1000000000"))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob", consumer_secret="wrong"))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="https://elsewhere.example.com/"))
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob", params={"scope": "admin"}))
    replayed = sign("POST", "/oauth/request_token", app, callback="oob")
    raw("/oauth/request_token", replayed[1]["Authorization"])
    answer(raw("/oauth/request_token", replayed[1]["Authorization"]))

    request_token = factories.make_request_token(app)
    request_token_authorize(request_token=request_token, user=alice)
    answer(signed_send(client, "POST", "/oauth/access_token", app, token=request_token))
    answer(signed_send(client, "POST", "/oauth/access_token", app, token=request_token, verifier="x" * 20))
    account_suspend(user=alice, reason="billing")
    request_token.refresh_from_db()
    answer(signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                       verifier=request_token.verifier))
    account_suspend(user=owner, reason="terms")
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob"))
    consumer_revoke(consumer=app)
    answer(signed_send(client, "POST", "/oauth/request_token", app, callback="oob"))

    settings.DEBUG = False
    for found in answers:
        assert found in documented, found
    assert len(set(answers)) == len(answers) == 22


@pytest.fixture
def developer_app(db):
    owner = factories.make_user("printer-developer")
    app = factories.make_consumer(owner, callback_url="https://printer.example.com/ready")
    return app, owner, factories.make_user("alice")


@pytest.fixture
def rfc_credentials(db):
    """The guide's example credentials (RFC 5849's), registered for real, with Aladdin's token."""
    from docs.walkthrough import EXAMPLE_CREDENTIALS as c

    owner = factories.make_user("Aladdin")
    app = factories.make_consumer(owner)
    app.client_id, app.client_secret = c["client_key"], c["client_secret"]
    app.save()
    token = factories.make_access_token(app, owner)
    token.key, token.secret = c["token"], c["token_secret"]
    token.save()
    return owner


@pytest.mark.live
@pytest.mark.parametrize(("transport", "status"), [("header", 200), ("query", 200), ("body", 201)])
def test_each_transport_example_works_when_pasted(client, live_server, rfc_credentials, transport, status):
    command = text_of(guide(client, host=urlsplit(live_server.url).netloc), "id", f"transport-{transport}")
    assert command.startswith("curl ") and live_server.url in command
    result = subprocess.run(["bash", "-c", command + " --silent --write-out '\\n%{http_code}'"],
                            capture_output=True, text=True, timeout=30)
    body, _, code = result.stdout.rpartition("\n")
    assert int(code) == status, body
    if transport == "body":
        assert json.loads(body)["name"] == "Desk lamp"


INTERPRETERS = {"python": [os.sys.executable, "-c"], "node": ["node", "-e"], "ruby": ["ruby", "-e"],
                "perl": ["perl", "-e"]}


@pytest.mark.live
@pytest.mark.interop
@pytest.mark.parametrize("interpreter", list(INTERPRETERS))
def test_each_language_example_works_as_shown(client, live_server, alice_with_a_lamp, interpreter):
    app, token = alice_with_a_lamp
    code = text_of(guide(client, host=urlsplit(live_server.url).netloc), "id", f"example-{interpreter}")
    assert f"{live_server.url}/v2/products" in code
    env = {**os.environ, "CLIENT_KEY": app.client_key, "CLIENT_SECRET": app.client_secret,
           "TOKEN": token.key, "TOKEN_SECRET": token.secret}
    interop = os.path.join(os.path.dirname(os.path.dirname(__file__)), "interop")  # its node_modules
    result = subprocess.run([*INTERPRETERS[interpreter], code], cwd=interop, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Lamp" in result.stdout, result.stdout


@pytest.fixture
def alice_with_a_lamp(db):
    alice = factories.make_user("alice")
    factories.make_product(alice, name="Lamp")
    app = factories.make_consumer(factories.make_user("printer-developer"))
    return app, factories.make_access_token(app, alice)


def test_openapi_describes_bearer_tokens_and_where_to_get_them(client):
    schema = yaml.safe_load(client.get("/v2/schema").content)
    oauth2 = schema["components"]["securitySchemes"]["oauth2"]
    assert oauth2["type"] == "oauth2"
    assert oauth2["flows"]["authorizationCode"]["tokenUrl"] == "/oauth2/token"
    assert set(oauth2["flows"]["clientCredentials"]["scopes"]) == {"account:read", "products:read", "products:write"}
    assert {"oauth2": []} in schema["paths"]["/v2/products"]["get"]["security"]


@pytest.mark.parametrize("code, anchor", [
    ("invalid_credentials", "error-invalid_credentials"), ("account_locked", "error-account_locked"),
    ("insufficient_scope", "error-insufficient_scope"), ("rate_limited", "error-rate_limited"),
    ("not_found", "errors"), ("anything-else", "errors"),
])
def test_each_reason_code_leads_to_its_entry_in_the_catalogue(client, code, anchor):
    """What an app's usage page links each refusal reason to: the entry's anchor, which the guide has."""
    response = client.get(f"/docs/errors/{code}")
    assert response.status_code == 302 and response["Location"] == f"/docs/authentication#{anchor}"
    assert f'id="{anchor}"' in guide(client)
