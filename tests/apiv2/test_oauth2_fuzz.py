"""Garbage in, an OAuth 2.0 error out: generated client credentials and forms against the token,
revocation and introspection endpoints never produce a 500, and every error carries RFC 6749's
`error` and our four keys."""
import pytest
from hypothesis import given, strategies as st

from tests.apiv2.test_fuzz import basic_like, fuzz_settings, header_text

ERROR_KEYS = {"error", "error_description", "status", "message", "additional", "reference"}
FORM_NAMES = ["grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "client_id",
              "client_secret", "token", "token_type_hint", "x"]
GRANTS = ["authorization_code", "refresh_token", "client_credentials", "password", "implicit",
          "urn:ietf:params:oauth:grant-type:device_code", ""]


def forms():
    value = st.one_of(header_text, st.sampled_from(GRANTS))
    return st.dictionaries(st.sampled_from(FORM_NAMES), value, max_size=6)


@pytest.mark.django_db
@fuzz_settings
@given(authorization=st.one_of(st.none(), basic_like()), form=forms(),
       path=st.sampled_from(["/oauth2/token", "/oauth2/revoke_token", "/oauth2/introspect"]))
def test_generated_requests_to_the_oauth2_endpoints(client, app, authorization, form, path):
    extra = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.post(path, form, **extra)
    assert response.status_code in {200, 400, 401, 403, 429, 503}, response.content[:300]
    if response.status_code != 200:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code
