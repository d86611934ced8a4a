"""RFC 5849 §3 violations and inputs oauthlib chokes on: each a 400 (or 401) JSON body, never a 500."""
import base64
import hmac
import time
from urllib.parse import parse_qsl, quote

import pytest
from oauthlib.oauth1.rfc5849 import signature

from consumers.oauth1.models import RequestToken
from consumers.oauth1.services import request_token_authorize
from tests.factories import make_consumer
from tests.oauth1.signing import sign, signed_send

ERROR_KEYS = {"status", "message", "additional", "reference"}


def header_of(app, token, **kwargs):
    _, headers, _ = sign("GET", "/v2/products", app, token=token, **kwargs)
    return headers["Authorization"]


def get(client, authorization=None, query="", **extra):
    if authorization is not None:
        extra["HTTP_AUTHORIZATION"] = authorization
    return client.get("/v2/products" + (f"?{query}" if query else ""), **extra)


def assert_json_error(response, status, words=""):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS and body["status"] == status
    assert words in body["additional"], body["additional"]
    return body


def test_a_protocol_parameter_repeated_in_the_header(client, app, alice_token):
    header = header_of(app, alice_token)
    duplicated = header + ', oauth_nonce="another-nonce-1234"'
    assert_json_error(get(client, duplicated), 400, "oauth_nonce is repeated")


def test_a_protocol_parameter_repeated_across_header_and_query(client, app, alice_token):
    header = header_of(app, alice_token)
    assert_json_error(get(client, header, query="oauth_token=x"), 400, "oauth_token is repeated")


def test_unquoted_header_values(client, app, alice_token):
    unquoted = header_of(app, alice_token).replace('"', "")
    assert_json_error(get(client, unquoted), 400, "quoted values")


def test_header_values_that_are_not_percent_encoded(client, app, alice_token):
    header = header_of(app, alice_token, nonce="abcdefgh1234")
    raw = header.replace('oauth_nonce="abcdefgh1234"', 'oauth_nonce="abc def+gh/1234"')
    assert_json_error(get(client, raw), 400, "percent-encoded")


@pytest.mark.parametrize("method", ["RSA-SHA1", "HMAC-SHA256", "none"])
def test_signature_methods_we_do_not_support(client, app, alice_token, method):
    header = header_of(app, alice_token).replace('oauth_signature_method="HMAC-SHA1"',
                                                 f'oauth_signature_method="{method}"')
    assert_json_error(get(client, header), 400, "use HMAC-SHA1 or PLAINTEXT")


def test_a_version_other_than_1_0(client, app, alice_token):
    header = header_of(app, alice_token).replace('oauth_version="1.0"', 'oauth_version="2.0"')
    assert_json_error(get(client, header), 400, "oauth_version must be 1.0")


@pytest.mark.parametrize("path", ["/oauth/request_token", "/oauth/access_token"])
def test_a_basic_header_on_a_token_endpoint(client, db, path):
    response = client.post(path, HTTP_AUTHORIZATION="Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    assert response.status_code in (400, 401)
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize(
    "query", ["oauth_consumer_key=%zz", "oauth_consumer_key=<x>", "oauth_token=%", "a=%zz&oauth_nonce=1"]
)
def test_malformed_query_strings(client, db, query):
    assert_json_error(get(client, query=query), 400)


def test_a_port_over_65535_in_host(client, app, alice_token, settings):
    settings.ALLOWED_HOSTS = ["*"]
    response = get(client, header_of(app, alice_token), HTTP_HOST="testserver:99999")
    assert response.status_code in (400, 401)
    assert set(response.json()) == ERROR_KEYS


# --- What real clients send: `oauth_version` 1.0a, and token responses strict clients can read -----


def signed_by_hand(method, path, app, *, token=None, token_secret="", version, extra=()):
    """An Authorization header signed with oauthlib's signature functions, carrying an `oauth_version`
    oauthlib's `Client` never sends (npm `oauth`'s README passes `1.0A`)."""
    params = [("oauth_consumer_key", app.client_key), ("oauth_nonce", "31415"),
              ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", str(int(time.time()))),
              ("oauth_version", version), *extra]
    if token is not None:
        params.append(("oauth_token", token))
    uri = f"http://testserver{path}"
    base = signature.signature_base_string(method, signature.base_string_uri(uri),
                                           signature.normalize_parameters(params))
    key = f"{quote(app.client_secret, safe='~')}&{quote(token_secret, safe='~')}".encode()
    params.append(("oauth_signature", base64.b64encode(hmac.new(key, base.encode(), "sha1").digest()).decode()))
    return "OAuth " + ", ".join(f'{name}="{quote(value, safe="~")}"' for name, value in params)


@pytest.mark.parametrize("version", ["1.0", "1.0a", "1.0A"])
def test_version_1_0a_is_1_0_on_the_api(client, app, alice_token, version):
    header = signed_by_hand("GET", "/v2/products", app, token=alice_token.key, token_secret=alice_token.secret,
                            version=version)
    response = get(client, header)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("version", ["1.0a", "1.0A"])
def test_version_1_0a_through_both_token_endpoints(client, app, alice, version):
    header = signed_by_hand("POST", "/oauth/request_token", app, version=version,
                            extra=[("oauth_callback", "oob")])
    issued = client.post("/oauth/request_token", HTTP_AUTHORIZATION=header)
    assert issued.status_code == 200, issued.content
    request_token = RequestToken.objects.get(key=dict(parse_qsl(issued.content.decode()))["oauth_token"])
    verifier = request_token_authorize(request_token=request_token, user=alice)
    header = signed_by_hand("POST", "/oauth/access_token", app, token=request_token.key,
                            token_secret=request_token.secret, version=version,
                            extra=[("oauth_verifier", verifier)])
    response = client.post("/oauth/access_token", HTTP_AUTHORIZATION=header)
    assert response.status_code == 200, response.content


def test_token_responses_carry_scope_and_no_other_oauth_parameter(client, developer, alice):
    reader = make_consumer(developer, scopes="products:read account:read")
    issued = signed_send(client, "POST", "/oauth/request_token", reader, callback="oob",
                         params={"scope": "products:read"})
    assert issued["Content-Type"] == "application/x-www-form-urlencoded"
    temporary = dict(parse_qsl(issued.content.decode()))
    assert set(temporary) == {"oauth_token", "oauth_token_secret", "oauth_callback_confirmed", "scope"}
    assert temporary["oauth_callback_confirmed"] == "true" and temporary["scope"] == "products:read"

    request_token = RequestToken.objects.get(key=temporary["oauth_token"])
    verifier = request_token_authorize(request_token=request_token, user=alice)
    response = signed_send(client, "POST", "/oauth/access_token", reader, token=request_token, verifier=verifier)
    access = dict(parse_qsl(response.content.decode()))
    assert set(access) == {"oauth_token", "oauth_token_secret", "scope"}, access
    assert access["scope"] == "products:read"


def test_a_signature_outside_ascii_is_a_bad_signature_not_a_500(client, app, alice_token):
    from urllib.parse import quote

    _, headers, _ = sign("GET", "/v2/products", app, token=alice_token)
    pairs = [part.strip() for part in headers["Authorization"][len("OAuth "):].split(",")]
    query = "&".join(pair.replace('"', "") for pair in pairs if not pair.startswith("oauth_signature="))
    response = get(client, query=f"{query}&oauth_signature={quote('é€')}")
    assert_json_error(response, 401)
