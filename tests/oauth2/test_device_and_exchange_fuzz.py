"""Garbage in, an answer out, never a 500: generated forms against the device authorization endpoint,
device-code polls, token exchanges and the /oauth2/device page."""
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import given, strategies as st

from tests.apiv2.test_fuzz import basic_like, fuzz_settings, header_text
from tests.factories import basic_header

ERROR_KEYS = {"error", "error_description", "status", "message", "additional", "reference"}
DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
FORM_NAMES = ["client_id", "client_secret", "scope", "device_code", "subject_token", "subject_token_type",
              "requested_token_type", "oauth_token", "oauth_signature", "x"]


def forms(grant_type=None):
    fields = st.dictionaries(st.sampled_from(FORM_NAMES), header_text, max_size=6)
    return fields.map(lambda form: {**form, "grant_type": grant_type} if grant_type else form)


def assert_oauth2_error_shape(response):
    assert response.status_code in {200, 400, 401, 403, 405, 429, 503}, response.content[:300]
    if response.status_code != 200:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code


@pytest.mark.django_db
@fuzz_settings
@given(authorization=st.one_of(st.none(), basic_like()), form=forms(), encoded=st.booleans(),
       real_client=st.booleans())
def test_generated_device_authorization_requests(client, app, authorization, form, encoded, real_client):
    extra = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    if real_client:
        extra["HTTP_AUTHORIZATION"] = basic_header(app.client_key, app.client_secret)
        form = {**form, "client_id": app.client_key}
    if encoded:
        response = client.post("/oauth2/device_authorization", urlencode(form),
                               content_type="application/x-www-form-urlencoded", **extra)
    else:
        response = client.post("/oauth2/device_authorization", form, **extra)
    assert_oauth2_error_shape(response)


@pytest.mark.django_db
@fuzz_settings
@given(form=forms(DEVICE_CODE),
       real_client=st.booleans())
def test_generated_device_code_polls(client, app, form, real_client):
    extra = {"HTTP_AUTHORIZATION": basic_header(app.client_key, app.client_secret)} if real_client else {}
    assert_oauth2_error_shape(client.post("/oauth2/token", form, **extra))


@pytest.mark.django_db
@fuzz_settings
@given(form=forms(EXCHANGE), authorization=st.one_of(st.none(), basic_like(), header_text.map("OAuth ".__add__)))
def test_generated_token_exchanges(client, form, authorization):
    extra = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    assert_oauth2_error_shape(client.post("/oauth2/token", urlencode(form),
                                          content_type="application/x-www-form-urlencoded", **extra))


@pytest.mark.django_db
@fuzz_settings
@given(user_code=header_text, decision=st.one_of(st.none(), header_text, st.sampled_from(["authorize", "deny"])))
def test_generated_codes_on_the_device_page(alice, user_code, decision):
    person = Client()
    person.force_login(alice)
    data = {"user_code": user_code, **({"decision": decision} if decision is not None else {})}
    assert person.post("/oauth2/device", data).status_code in {200, 302, 400, 429}
