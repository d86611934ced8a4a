"""OAuth 2.0 client libraries written by other people, in three languages, each through every step,
configured from the server's metadata (RFC 8414): authorization code with PKCE (the user answering the
consent page over HTTP), refresh, client credentials, the device flow, introspection and revocation,
and the errors a client must be able to tell apart (a wrong secret, a code used twice, a wrong PKCE
verifier). openid-client also checks `iss` on the callback (RFC 9207): a callback whose `iss` was
stripped or changed is refused, and a denial still reads as `access_denied`."""
import sys

import pytest

from tests.interop.conftest import OAUTH2_SCOPE

pytestmark = [pytest.mark.live, pytest.mark.interop]

NODE_OPENID_CLIENT = ["node", "clients/node_openid_client.mjs"]
# (label, the package and version the driver must report, its command line)
LIBRARIES = {
    "Python requests-oauthlib": ("requests-oauthlib", "2.0.0",
                                 [sys.executable, "clients/python_oauth2_clients.py", "requests-oauthlib"]),
    "Python Authlib": ("Authlib", "1.9.6", [sys.executable, "clients/python_oauth2_clients.py", "authlib"]),
    "JavaScript openid-client": ("openid-client", "6.8.9", NODE_OPENID_CLIENT),
    "Ruby oauth2": ("oauth2", "1.4.4", ["ruby", "clients/ruby_oauth2.rb"]),
}
COMMON_STEPS = ["discovery", "code_pkce", "refresh", "client_credentials", "device", "introspect", "revoke",
                "reused_code", "bad_secret", "wrong_verifier"]
ISS_STEPS = ["iss_advertised", "iss_stripped", "iss_changed", "denied"]  # openid-client's checks of `iss`


def cases():
    for label in LIBRARIES:
        steps = COMMON_STEPS + (ISS_STEPS if label == "JavaScript openid-client" else [])
        for step in steps:
            yield pytest.param(label, step, id=f"{label}-{step}")


def signed_in_as(result, username):
    """The step's call of GET /v2 with the token it got answered as `username`, over OAuth 2.0."""
    assert result.get("status") == 200, result
    assert result["body"]["account"]["username"] == username
    assert result["body"]["auth"]["scheme"] == "oauth2"


@pytest.mark.parametrize(("label", "step"), list(cases()))
def test_oauth2_library_step(oauth2_library_results, interop_server, label, step):
    package, pinned, command = LIBRARIES[label]
    results = oauth2_library_results(label, command)
    assert results["_library"] == {"library": package, "version": pinned}, "pin the version (package.json, apt)"
    result = results.get(step)
    assert result is not None, f"{label} never got to {step}: {results['_stderr'][-1500:]}"
    assert "failed" not in result, result["failed"]
    if step == "discovery":
        metadata = result["metadata"]
        assert metadata["issuer"] == interop_server
        assert metadata["token_endpoint"] == f"{interop_server}/oauth2/token"
        assert "S256" in metadata["code_challenge_methods_supported"]
    elif step == "iss_advertised":  # RFC 9207 §3: so that a client refuses a callback without `iss`
        assert result["metadata"].get("authorization_response_iss_parameter_supported") is True
    elif step in ("code_pkce", "device"):
        signed_in_as(result, "alice")
        assert sorted(result["body"]["scopes"]) == sorted(OAUTH2_SCOPE.split())
    elif step == "refresh":
        signed_in_as(result, "alice")
        assert result["rotated"]
    elif step == "client_credentials":
        signed_in_as(result, "interop-developer")  # the client's owner
    elif step == "introspect":
        body = result["body"]
        assert body["active"] is True and body["username"] == "alice", body
        assert sorted(body["scope"].split()) == sorted(OAUTH2_SCOPE.split())
    elif step == "revoke":
        assert result["revoke_status"] == 200
        assert result["status"] == 401, result  # the revoked token no longer works
    elif step == "bad_secret":
        assert result["error"] == "invalid_client"
    elif step in ("reused_code", "wrong_verifier"):
        assert result["error"] == "invalid_grant"
    elif step in ("iss_stripped", "iss_changed"):
        assert result.get("refused") and "\"iss\" (issuer)" in result["error"], result
    elif step == "denied":
        assert result["error"] == "access_denied", result
