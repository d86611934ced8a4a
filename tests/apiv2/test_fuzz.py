"""Garbage in, a JSON error out: generated Authorization headers, client keys and query strings
against /v2 never produce a 500 or a body outside the contract's shape."""
import base64
import logging
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings, strategies as st
from oauthlib.oauth1 import Client

from tests import factories

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


# --- Hostile classes: each one, with and without credentials, at every API URL ---------------------------
# The cases a generator does not reach: Django's own limits on fields and body size, characters
# PostgreSQL cannot store, JSON nested past Python's recursion limit. Run in both passes of CI; the
# NUL cases matter on PostgreSQL (SQLite stores a NUL), where they used to end in a 500.

API_URLS = ["/v2", "/v2/status", "/v2/products", "/oauth/request_token", "/oauth/access_token"]
FORM = "application/x-www-form-urlencoded"
TOO_MANY_FIELDS = "&".join(f"f{number}=1" for number in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
TOO_BIG_FORM = "a=" + "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
TOO_DEEP_JSON = "[" * 100_000 + "]" * 100_000
NUL = "\x00"
SURROGATE_JSON = '{"name": "\\ud800", "price": "1.00", "sku": "\\udfff", "\\udc00": 1}'

# name: (method, query, body, content type, the statuses Django's or DRF's refusal must give)
HOSTILE = {
    "too many query fields": ("GET", TOO_MANY_FIELDS, None, None, {400}),
    "too many form fields": ("POST", "", TOO_MANY_FIELDS, FORM, {400}),
    "form body over the limit": ("POST", "", TOO_BIG_FORM, FORM, {413}),
    "JSON nested past the recursion limit": ("POST", "", TOO_DEEP_JSON, "application/json", None),
    "lone surrogates in JSON": ("POST", "", SURROGATE_JSON, "application/json", None),
    "NUL in the query": ("GET", "client_key=%00&oauth_token=%00&page=%00&x=%00", None, None, None),
    "NUL in the form body": ("POST", "", "name=%00&price=1&oauth_token=%00&oauth_verifier=%00", FORM, None),
}
# Credentials: none; good ones (Basic + key, OAuth 1.0a signed); and ones that carry a NUL.
CREDENTIALS = ["none", "basic", "oauth", "basic NUL username", "basic NUL key", "oauth NUL client key",
               "oauth NUL token"]


def _hostile_request(client, method, path, query, body, content_type, credentials, aladdin, password,
                     aladdin_key, app, alice_token):
    extra = {}
    uri = path + (f"?{query}" if query else "")
    if credentials.startswith("basic"):
        username = "Alad" + NUL + "din" if "username" in credentials else aladdin.username
        extra["HTTP_AUTHORIZATION"] = factories.basic_header(username, password)
        extra["HTTP_X_CLIENT_KEY"] = "key" + NUL if "key" in credentials.split()[1:] else aladdin_key.client_key
    elif credentials.startswith("oauth"):
        consumer = SimpleNamespace(client_key=app.client_key + NUL, client_secret=app.client_secret) \
            if "client key" in credentials else app
        token = SimpleNamespace(key=NUL + alice_token.key, secret=alice_token.secret) \
            if "token" in credentials else alice_token
        signed_body = body if content_type == FORM else None
        _, headers, _ = Client(consumer.client_key, client_secret=consumer.client_secret,
                               resource_owner_key=token.key, resource_owner_secret=token.secret).sign(
            "http://testserver" + uri, method, signed_body, {"Content-Type": FORM} if signed_body else {})
        extra["HTTP_AUTHORIZATION"] = headers["Authorization"]
    client.raise_request_exception = False
    return client.generic(method, uri, data=body or "", content_type=content_type or "", **extra)


def assert_no_traceback(caplog):
    logged = [(record.name, record.getMessage()[:80]) for record in caplog.records
              if record.exc_info or record.levelno >= logging.ERROR]
    assert not logged, logged


@pytest.mark.django_db
@pytest.mark.parametrize("credentials", CREDENTIALS)
@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("path", API_URLS)
def test_hostile_input_answers_the_contract_at_every_api_url(client, aladdin, password, aladdin_key, app,
                                                            alice_token, path, case, credentials, caplog):
    method, query, body, content_type, refused_with = HOSTILE[case]
    response = _hostile_request(client, method, path, query, body, content_type, credentials, aladdin, password,
                                aladdin_key, app, alice_token)
    assert response.status_code < 500, response.content[:300]
    if refused_with is not None:
        assert response.status_code in refused_with
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code
    assert_no_traceback(caplog)


@pytest.mark.django_db
@pytest.mark.parametrize("credentials", [name for name in CREDENTIALS if "NUL" in name])
@pytest.mark.parametrize("path", API_URLS)
def test_nul_credentials_with_the_shared_state_in_the_database(client, settings, aladdin, password, aladdin_key,
                                                                app, alice_token, path, credentials, caplog):
    """Without Redis (or while it is down) counters and remembered passwords live in the database cache:
    a NUL from a caller must not reach its keys either."""
    settings.REDIS_URL = ""
    response = _hostile_request(client, "GET", path, "", None, None, credentials, aladdin, password,
                                aladdin_key, app, alice_token)
    assert response.status_code < 500, response.content[:300]
    assert set(response.json()) == ERROR_KEYS or response.status_code == 200
    assert_no_traceback(caplog)


@pytest.mark.django_db
def test_client_keys_and_usernames_the_database_cannot_store_are_not_found(client, aladdin, password,
                                                                          aladdin_key, app, alice_token):
    """A NUL is no key anyone was given: the answers a made-up key or user gets."""
    common = (client, "GET", "/v2/products", "", None, None)
    fixtures = (aladdin, password, aladdin_key, app, alice_token)
    assert _hostile_request(*common, "basic NUL username", *fixtures).status_code == 401
    nul_key = _hostile_request(*common, "basic NUL key", *fixtures)
    assert nul_key.status_code == 403 and nul_key.json()["message"] == "Invalid client key"
    nul_client_key = _hostile_request(*common, "oauth NUL client key", *fixtures)  # as any key of odd characters
    assert nul_client_key.status_code == 400 and nul_client_key.json()["additional"] == "Invalid client key format."
    assert _hostile_request(*common, "oauth NUL token", *fixtures).status_code == 401


@pytest.mark.django_db
def test_json_nested_deeper_than_the_limit_is_a_400(api, caplog):
    """Far below Python's recursion limit, still no product: a body has a nesting limit."""
    response = api.post("/v2/products", data='{"name": "deep", "price": "1.00", "x": ' + "[" * 40 + "]" * 40 + "}",
                        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["additional"] == "JSON nested too deeply."
    shallow = api.post("/v2/products", data='{"name": "shallow", "price": "1.00", "x": [[[]]]}',
                       content_type="application/json")
    assert shallow.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_URLS)
@pytest.mark.parametrize("debug", [False, True])
def test_a_disallowed_host_is_the_contracts_400_at_api_urls(client, settings, path, debug, caplog):
    settings.DEBUG = debug
    client.raise_request_exception = False
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": 400, "message": "Bad Request",
                               "additional": "The Host header names a host this service does not serve.",
                               "reference": ""}
    assert_no_traceback(caplog)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login", "/docs/api", "/apps/"])
def test_a_disallowed_host_is_the_sites_400_page_elsewhere(client, path, caplog):
    client.raise_request_exception = False
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert b"We could not understand that request" in response.content
    assert_no_traceback(caplog)


# --- The same classes at the pages: the site's own page, never a 500 ----------------------------------------

PAGE_HOSTILE = {
    "too many query fields": ("GET", TOO_MANY_FIELDS, None, {400}),
    "too many form fields": ("POST", "", TOO_MANY_FIELDS, {400}),
    "form body over the limit": ("POST", "", TOO_BIG_FORM, {413}),
    "NUL in the query": ("GET", "oauth_token=%00&next=%00", None, None),
    "NUL in the form body": ("POST", "", "oauth_token=%00&decision=authorize&username=%00&password=%00", None),
}
PAGES = ["/oauth/authorize", "/login", "/signup", "/apps/", "/account/apps", "/docs/api"]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("case", list(PAGE_HOSTILE))
@pytest.mark.parametrize("path", PAGES)
def test_hostile_input_at_the_pages_is_a_page(client, alice, path, case, signed_in, caplog):
    method, query, body, refused_with = PAGE_HOSTILE[case]
    if signed_in:
        client.force_login(alice)
    client.raise_request_exception = False
    response = client.generic(method, path + (f"?{query}" if query else ""), data=body or "",
                              content_type=FORM if body else "")
    assert response.status_code < 500, response.content[:300]
    if refused_with is not None:
        assert response.status_code in refused_with
        assert response["Content-Type"].startswith("text/html")
        assert b"Go to the home page" in response.content
    assert_no_traceback(caplog)


@pytest.mark.django_db
def test_a_nul_request_token_on_the_authorize_page_is_not_found(client, alice):
    client.force_login(alice)
    response = client.get("/oauth/authorize?oauth_token=%00")
    assert response.status_code == 400 and b"This authorization request is not valid" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_too_many_form_fields_in_a_put_or_patch_is_a_400(api, aladdin, method, caplog):
    """Django parses only a POST's form body; DRF parses the others, under Django's same field limit."""
    product = factories.make_product(aladdin)
    response = api.generic(method, f"/v2/products/{product.pk}", data=TOO_MANY_FIELDS, content_type=FORM)
    assert response.status_code == 400, response.content
    assert response.json()["additional"] == (
        f"The request has more than {django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields.")
    assert_no_traceback(caplog)
