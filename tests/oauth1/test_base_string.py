"""Our signature base string and HMAC-SHA1 signature are oauthlib's, character for character: on random
requests (reserved, non-ASCII and control characters, repeated names, odd methods and URIs)
`consumers.oauth1.base_string` gives what oauthlib's public `normalize_parameters`, `base_string_uri` and
`signature_base_string` give, `consumers.oauth1.hmac_sha1` what its `sign_hmac_sha1_with_client` gives, and both
refuse (ValueError) exactly what oauthlib refuses. No database: pure functions."""
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings, strategies as st
from oauthlib.oauth1.rfc5849 import signature, utils

from consumers.oauth1 import base_string
from consumers.oauth1.hmac_sha1 import hmac_sha1_signature

# Any code point, lone surrogates included (oauthlib cannot encode them: both sides must refuse).
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=30)
RESERVED_TEXT = st.text(st.sampled_from(list(":/?#[]@!$&'()*+,;=% \"<>\\^`{|}~-._") + ["é", "☃", "𝄞", "\x00"]),
                        max_size=30)
TEXT = st.one_of(ANY_TEXT, RESERVED_TEXT)
PARAMS = st.lists(st.tuples(st.one_of(TEXT, st.sampled_from(["oauth_nonce", "a", "a=b"])), TEXT), max_size=12)
METHODS = st.one_of(st.sampled_from(["GET", "post", "PUT", "DELETE", "pAtCh"]), TEXT)
HOSTS = st.sampled_from(["example.com", "EXAMPLE.com:80", "example.com:8443", "127.0.0.1:8000", "[::1]:443",
                         "Bücher.example", "example.com:0", "example.com:99999", "", "a b"])
URIS = st.builds(lambda scheme, host, path, query: f"{scheme}://{host}/{path}{query}",
                 st.sampled_from(["http", "https", "HTTPS", ""]), HOSTS, TEXT,
                 st.one_of(st.just(""), TEXT.map(lambda text: "?" + text)))


def outcome(function, *args):
    """The result, or the kind of refusal (ValueError and its subclasses count as one)."""
    try:
        return function(*args)
    except ValueError:
        return ValueError


def oauthlib_base_string(method, uri, params):
    normalized = signature.normalize_parameters(params)
    return signature.signature_base_string(method, signature.base_string_uri(uri), normalized)


@settings(max_examples=1000, deadline=None)
@given(TEXT)
@example("\ud800")  # a lone surrogate: no UTF-8 for it
@example("".join(chr(code) for code in range(128)))
def test_escape_is_oauthlibs(text):
    assert outcome(base_string.escape, text) == outcome(utils.escape, text)


@settings(max_examples=500, deadline=None)
@given(PARAMS)
@example([("b", "2"), ("a", "2"), ("a", "1"), ("a", "10"), ("A", "x")])  # sorted by name, then value
def test_normalized_parameters_are_oauthlibs(params):
    assert outcome(base_string.normalize_parameters, params) == outcome(signature.normalize_parameters, params)


@settings(max_examples=1000, deadline=None)
@given(METHODS, URIS, PARAMS)
@example("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
         [("file", "vacation.jpg"), ("size", "original"), ("oauth_consumer_key", "dpf43f3p2l4k3l03")])
def test_the_base_string_is_oauthlibs(method, uri, params):
    assert outcome(base_string.signature_base_string, method, uri, params) == outcome(
        oauthlib_base_string, method, uri, params)


@pytest.mark.parametrize("value", [None, b"bytes", 1])
def test_anything_but_text_is_refused_as_oauthlib_refuses_it(value):
    assert outcome(base_string.escape, value) is outcome(utils.escape, value) is ValueError


@settings(max_examples=1000, deadline=None)
@given(TEXT, st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT))
@example("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg", "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
@example("base", "secret with spaces & ampersands", "\ud800")  # a lone surrogate in a secret
def test_the_hmac_sha1_signature_is_oauthlibs(base, client_secret, token_secret):
    secrets = SimpleNamespace(client_secret=client_secret, resource_owner_secret=token_secret)
    assert outcome(hmac_sha1_signature, base, client_secret, token_secret) == outcome(
        signature.sign_hmac_sha1_with_client, base, secrets)
