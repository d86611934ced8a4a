"""RFC 5849 §3 violations and inputs oauthlib chokes on: each a 400 (or 401) JSON body, never a 500."""
import pytest

from tests.oauth1.signing import sign

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
