"""Garbage in, a JSON error out: generated Authorization headers, client keys and query strings
against /v2 never produce a 500 or a body outside the contract's shape."""
import base64

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

ALLOWED = {200, 400, 401, 403, 404, 429}
ERROR_KEYS = {"status", "message", "additional", "reference"}
# What a WSGI server hands Django: header values decoded as latin-1, no control characters.
header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
fuzz_settings = settings(max_examples=150, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


def basic_like():
    raw = st.binary(max_size=60).map(lambda data: "Basic " + base64.b64encode(data).decode())
    userpass = st.tuples(header_text, header_text).map(
        lambda pair: "Basic " + base64.b64encode(f"{pair[0]}:{pair[1]}".encode("utf-8", "surrogatepass")).decode()
    )
    scheme_junk = st.tuples(st.sampled_from(["Basic", "basic", "BASIC", "OAuth", "Bearer", ""]), header_text).map(
        " ".join
    )
    return st.one_of(raw, userpass, scheme_junk, header_text)


def assert_contract(response):
    assert response.status_code in ALLOWED, response.content[:300]
    if response.status_code != 200:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code


@pytest.mark.django_db
@fuzz_settings
@given(authorization=basic_like(), key=st.one_of(st.none(), header_text))
def test_generated_authorization_headers_and_keys(client, aladdin_key, authorization, key):
    extra = {"HTTP_AUTHORIZATION": authorization}
    if key is not None:
        extra["HTTP_X_CLIENT_KEY"] = key
    assert_contract(client.get("/v2/products", **extra))


@pytest.mark.django_db
@fuzz_settings
@given(query=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=80))
def test_generated_query_strings(api, query):
    assert_contract(api.get("/v2/products", QUERY_STRING=query))


@pytest.mark.django_db
@fuzz_settings
@given(body=st.binary(max_size=200), content_type=st.sampled_from([
    "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
    "text/plain", "application/json; charset=latin-1",
]))
def test_generated_bodies(api, body, content_type):
    response = api.generic("POST", "/v2/products", data=body, content_type=content_type)
    assert response.status_code in ALLOWED | {201, 415}, response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == ERROR_KEYS


def oauth_like():
    names = st.sampled_from(["oauth_consumer_key", "oauth_token", "oauth_nonce", "oauth_timestamp",
                             "oauth_signature", "oauth_signature_method", "oauth_version", "realm", "x"])
    pair = st.tuples(names, header_text, st.booleans()).map(
        lambda item: f'{item[0]}="{item[1]}"' if item[2] else f"{item[0]}={item[1]}"
    )
    return st.lists(pair, max_size=8).map(lambda pairs: "OAuth " + ", ".join(pairs))


@pytest.mark.django_db
@fuzz_settings
@given(authorization=st.one_of(oauth_like(), basic_like()),
       query=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60),
       path=st.sampled_from(["/oauth/request_token", "/oauth/access_token", "/v2/products", "/v2"]),
       method=st.sampled_from(["GET", "POST"]))
def test_generated_oauth_requests(client, aladdin_key, authorization, query, path, method):
    response = client.generic(method, path, HTTP_AUTHORIZATION=authorization, QUERY_STRING=query)
    assert response.status_code in ALLOWED | {503}, response.content[:300]
    if response.status_code != 200:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code
