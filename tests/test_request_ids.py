"""The request ID (`apiproject.request_ids`): on every answer, a trusted proxy's kept only when one is in
front and well formed, and the one a person reads on the 500 page or in a 500's header."""
import logging
import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

MADE = re.compile(r"[0-9a-f]{32}")
PROXYS_ID = "7f1c2e9a-proxy-0001"


def test_every_answer_carries_a_new_request_id(api):
    anonymous = Client()
    answers = [anonymous.get("/no/such/page"), anonymous.get("/v2/live"), api.get("/v2"), anonymous.get("/v2")]
    ids = [answer["X-Request-ID"] for answer in answers]
    assert all(MADE.fullmatch(request_id) for request_id in ids), ids
    assert len(set(ids)) == len(ids)


def test_a_clients_request_id_is_not_taken_without_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = 0
    answer = client.get("/v2/live", HTTP_X_REQUEST_ID=PROXYS_ID)
    assert answer["X-Request-ID"] != PROXYS_ID and MADE.fullmatch(answer["X-Request-ID"])


def test_a_trusted_proxys_request_id_is_kept(client, settings):
    settings.TRUSTED_PROXIES = 1
    assert client.get("/v2/live", HTTP_X_REQUEST_ID=PROXYS_ID)["X-Request-ID"] == PROXYS_ID


@pytest.mark.parametrize("given", [
    "short", "x" * 129, "has space in it", "new\nline-0001", "<script>alert(1)</script>", "a,b,c,d,e,f,g",
    "caf\u00e9-caf\u00e9-01",
])
def test_a_malformed_request_id_from_a_trusted_proxy_is_replaced(client, settings, given):
    settings.TRUSTED_PROXIES = 1
    answer = client.get("/v2/live", HTTP_X_REQUEST_ID=given)
    assert MADE.fullmatch(answer["X-Request-ID"])


@override_settings(ROOT_URLCONF="tests.failing_urls")
def test_the_500_page_shows_the_request_id_its_answer_and_log_line_carry(caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    answer = Client(raise_request_exception=False).get("/failing-page")
    request_id = answer["X-Request-ID"]
    assert answer.status_code == 500 and MADE.fullmatch(request_id)
    shown = re.search(r'id="request-id">.*?<code>([^<]+)</code>', answer.content.decode(), re.S)
    assert shown and shown.group(1) == request_id
    messages = [record.getMessage() for record in caplog.records]
    assert f"Server error, request ID {request_id}: GET /failing-page (RuntimeError)" in messages


@override_settings(ROOT_URLCONF="tests.failing_urls", TRUSTED_PROXIES=1)
def test_an_api_500_carries_the_request_id_in_its_header():
    answer = Client(raise_request_exception=False).get("/v2/failing", HTTP_X_REQUEST_ID=PROXYS_ID)
    assert answer.status_code == 500 and answer["Content-Type"] == "application/json"
    assert answer["X-Request-ID"] == PROXYS_ID
    assert answer.json() == {"status": 500, "message": "Internal Server Error", "additional": "", "reference": ""}
