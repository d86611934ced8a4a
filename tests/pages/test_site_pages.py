"""The site around the API, as Django's test client sees it: the error catalogue names every 401 the API
sends, the error pages give a way on (a styled 400 for a host we do not serve, the request ID on the 500),
the service status has a page for people, the header links billing, the 401 challenges a page's script."""
import base64
import hashlib
import html
import logging
import re

import pytest
from django.test import RequestFactory

from apiproject import error_views
from tests import factories
from tests.oauth1.signing import signed_send

pytestmark = pytest.mark.django_db


def api_401s(client, aladdin, password, aladdin_key):
    """The `additional` of every kind of 401 an API request can get, sent for real."""
    app = factories.make_consumer(aladdin, scopes="products:read")
    token = factories.make_access_token(app, aladdin)
    basic = "Basic " + base64.b64encode(f"Aladdin:{password}x".encode()).decode()
    answers = [
        client.get("/v2/products"),
        client.get("/v2/products", HTTP_AUTHORIZATION=basic, HTTP_X_CLIENT_KEY=aladdin_key.client_key),
        client.get("/v2/products", HTTP_AUTHORIZATION="Basic not-base64!", HTTP_X_CLIENT_KEY=aladdin_key.client_key),
        client.get("/v2/products", HTTP_AUTHORIZATION="Bearer no-such-token"),
        signed_send(client, "GET", "/v2/products", app, token=token, consumer_secret="wrong"),
        signed_send(client, "GET", "/v2/products", app),
        signed_send(client, "GET", "/v2/products", app, token=token, timestamp="1000000000"),
    ]
    assert {answer.status_code for answer in answers} == {401}
    return {answer.json()["additional"] for answer in answers}


def test_the_error_catalogue_shows_every_401_text_the_api_sends(client, aladdin, password, aladdin_key):
    sent = api_401s(client, aladdin, password, aladdin_key)
    assert len(sent) >= 6
    page = html.unescape(client.get("/docs/authentication").content.decode())
    table = page[page.index('id="bad-credentials"'):]
    table = table[:table.index("</table>")]
    assert [text for text in sent if f"<code>{text}</code>" not in table] == []


def test_the_500_page_gives_a_request_id_that_the_log_line_carries(caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        response = error_views.server_error(RequestFactory().get("/apps/"))
    reference = re.search(r'id="request-id">.*?<code>([0-9a-f]{32})</code>', response.content.decode(), re.S)
    assert response.status_code == 500 and reference
    lines = [record.getMessage() for record in caplog.records]
    assert f"Server error, request ID {reference.group(1)}: GET /apps/ (RuntimeError)" in lines
    again = error_views.server_error(RequestFactory().get("/apps/"))
    assert reference.group(1) not in again.content.decode()  # one per error


def test_an_unknown_host_gets_the_sites_styles_inside_the_page_allowed_by_their_hash(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/somewhere", HTTP_HOST="unknown.example")
    page = response.content.decode()
    assert response.status_code == 400 and "We could not understand that request" in page
    styles = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert ".site-header" in styles and "/static/" not in page.split("<body>")[0]
    digest = base64.b64encode(hashlib.sha256(styles.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    ordinary = client.get("/no/such/page")  # every other page keeps the plain policy and its files
    assert ordinary["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "<style>" not in ordinary.content.decode()


def test_the_service_status_page_says_what_the_json_says(client):
    page = client.get("/docs/status")
    assert page.status_code == 200 and "All systems are working." in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert client.get("/v2/status").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert 'href="/docs/status">Service status</a>' in client.get("/").content.decode()


def test_the_navigation_links_billing_for_signed_in_people(client, aladdin):
    assert 'href="/billing"' not in client.get("/docs/authentication").content.decode()
    client.force_login(aladdin)
    nav = client.get("/docs/authentication").content.decode().split("</nav>")[0]
    assert '<a href="/billing">Billing</a>' in nav


def test_a_pages_script_is_challenged_with_no_scheme_a_browser_prompts_for(client):
    answer = client.get("/v2/products", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert answer.status_code == 401
    schemes = re.findall(r'(?:^|, )([\w-]+) realm=', answer["WWW-Authenticate"])
    assert schemes == ["X-Basic", "OAuth", "Bearer"], answer["WWW-Authenticate"]
    assert client.get("/v2/products")["WWW-Authenticate"].startswith('Basic realm="api"')  # everyone else
