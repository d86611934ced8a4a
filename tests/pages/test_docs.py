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
    assert {"basicAuth", "clientKeyHeader", "clientKeyQuery", "oauth1"} <= set(schema["components"]["securitySchemes"])
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
