"""Seven OAuth 1.0a client libraries written by other people, in four languages, each through every
step: the three-legged flow (callback and oob), then signed requests of every shape with HMAC-SHA1,
and one with PLAINTEXT. A library's own signing bug is its known failure, read from the docs' table
(docs/client_libraries.py); strict, and only as our 401 for a bad signature, so the suite fails when
a library starts passing or fails some other way."""
import sys

import pytest

from docs.client_libraries import LIBRARIES as CLIENT_LIBRARIES, STEPS

pytestmark = [pytest.mark.live, pytest.mark.interop]

# Each library of the docs' table (by language and name), and the driver that runs it.
DRIVERS = {
    ("Python", "requests-oauthlib"): [sys.executable, "clients/python_clients.py", "requests-oauthlib"],
    ("Python", "Authlib"): [sys.executable, "clients/python_clients.py", "authlib"],
    ("Python", "oauth2"): [sys.executable, "clients/python_clients.py", "oauth2"],
    ("JavaScript (Node)", "oauth-1.0a"): ["node", "clients/node_oauth_1_0a.js"],
    ("JavaScript (Node)", "oauth"): ["node", "clients/node_oauth.js"],
    ("Ruby", "oauth"): ["ruby", "clients/ruby_oauth.rb"],
    ("Perl", "Net::OAuth"): ["perl", "clients/perl_net_oauth.pl"],
}
LIBRARIES = {f"{library.language.split()[0]} {library.name}": library for library in CLIENT_LIBRARIES}
EXPECTED = {
    "callback_flow": 200, "oob_flow": 200, "get_odd_query": 200, "post_form": 201, "post_json": 201,
    "put_json": 200, "patch_form": 200, "delete": 204, "plaintext_get": 200,
}
assert EXPECTED.keys() == STEPS.keys()


class SignatureRefused(Exception):
    """A known bug's only allowed outcome: our 401 for a signature the library computed wrongly."""


def cases():
    for label, library in LIBRARIES.items():
        for step in EXPECTED:
            reason = library.known_bugs.get(step)
            marks = [pytest.mark.xfail(strict=True, raises=SignatureRefused, reason=reason)] if reason else []
            yield pytest.param(label, step, marks=marks, id=f"{label}-{step}")


@pytest.mark.parametrize(("label", "step"), list(cases()))
def test_library_step(library_results, label, step):
    library = LIBRARIES[label]
    results = library_results(label, DRIVERS[library.language, library.name])
    assert results["_library"]["version"] == library.version, "update the docs' table (docs/client_libraries.py)"
    result = results.get(step)
    assert result is not None, f"{label} never got to {step}: {results.get('_stderr', '')[-1500:]}"
    if step in library.known_bugs and result["status"] == 401:
        raise SignatureRefused(result["body"]["additional"])
    assert result["status"] == EXPECTED[step], result
    body = result["body"]
    if step == "post_form":
        assert body["name"] == "Desk lamp"
    if step == "post_json":
        assert body["name"] == "Café chair"
    if step == "patch_form":
        assert body["price"] == "39.99" and body["name"] == "Armchair"
    if step == "plaintext_get":
        assert body["auth"]["scheme"] == "oauth1"
