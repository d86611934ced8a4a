"""The whole three-legged flow with requests-oauthlib against a live server over real HTTP.

Request token -> the user signs in and authorizes on the page -> access token -> /v2/products.
"""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from requests_oauthlib import OAuth1, OAuth1Session

from tests.factories import ALICE_PASSWORD, CALLBACK
from tests.oauth1.browser import answer_authorize_page, verifier_shown
from tests.servers import gunicorn_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def request_token(base_url, app, **session_kwargs):
    oauth = OAuth1Session(app.client_key, client_secret=app.client_secret, **session_kwargs)
    credentials = oauth.fetch_request_token(f"{base_url}/oauth/request_token")
    assert credentials["oauth_callback_confirmed"] == "true"
    return oauth, credentials


@pytest.mark.parametrize("signature_type", ["AUTH_HEADER", "BODY", "QUERY"])
def test_hmac_sha1_flow_then_products(live_server, http_cookies, app, alice, signature_type):
    base = live_server.url
    oauth, _ = request_token(base, app, callback_uri=CALLBACK + "?state=xyz", signature_type=signature_type)

    response = answer_authorize_page(base, oauth.authorization_url(f"{base}/oauth/authorize"),
                                     "alice", ALICE_PASSWORD)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(CALLBACK + "?state=xyz&oauth_token=")
    oauth.parse_authorization_response(location)

    access = oauth.fetch_access_token(f"{base}/oauth/access_token")
    assert set(access) >= {"oauth_token", "oauth_token_secret"}
    # The granted scopes travel as `scope`, with no `oauth_` parameter RFC 5849 does not define.
    assert access["scope"].split() == app.scope_list
    assert set(access) == {"oauth_token", "oauth_token_secret", "scope"}

    created = oauth.post(f"{base}/v2/products", data={"name": "Lamp", "price": "12.50"})
    assert created.status_code == 201, created.text
    # Reading back with the same token credentials, signed in the header.
    reader = OAuth1(app.client_key, app.client_secret, access["oauth_token"], access["oauth_token_secret"])
    listed = requests.get(f"{base}/v2/products", auth=reader)
    assert listed.status_code == 200, listed.text
    assert [product["name"] for product in listed.json()["results"]] == ["Lamp"]
    root = requests.get(f"{base}/v2", auth=reader).json()
    assert root["account"]["username"] == "alice" and root["auth"]["scheme"] == "oauth1"


def test_plaintext_flow_in_debug_with_oob(live_server, http_cookies, settings, app, alice):
    settings.DEBUG = True
    base = live_server.url
    oauth, _ = request_token(base, app, callback_uri="oob", signature_method="PLAINTEXT")

    page = answer_authorize_page(base, oauth.authorization_url(f"{base}/oauth/authorize"),
                                 "alice", ALICE_PASSWORD)
    assert page.status_code == 200
    access = oauth.fetch_access_token(f"{base}/oauth/access_token", verifier=verifier_shown(page))

    api = OAuth1Session(app.client_key, app.client_secret, access["oauth_token"], access["oauth_token_secret"],
                        signature_method="PLAINTEXT")
    assert api.get(f"{base}/v2/products").status_code == 200


def test_scope_asked_at_the_request_token_is_carried_to_the_api(live_server, http_cookies, app, alice):
    base = live_server.url
    oauth = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    oauth.fetch_request_token(f"{base}/oauth/request_token?scope=products%3Aread")
    page = answer_authorize_page(base, oauth.authorization_url(f"{base}/oauth/authorize"),
                                 "alice", ALICE_PASSWORD)
    access = oauth.fetch_access_token(f"{base}/oauth/access_token", verifier=verifier_shown(page))
    assert access["scope"] == "products:read"

    assert oauth.get(f"{base}/v2/products").status_code == 200
    refused = oauth.post(f"{base}/v2/products", data={"name": "Lamp"})
    assert refused.status_code == 403
    assert refused.json()["message"] == "Insufficient scope"


def test_denying_sends_the_user_back_without_a_verifier(live_server, http_cookies, app, alice):
    base = live_server.url
    oauth, credentials = request_token(base, app, callback_uri=CALLBACK)
    response = answer_authorize_page(base, oauth.authorization_url(f"{base}/oauth/authorize"),
                                     "alice", ALICE_PASSWORD, decision="deny")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {  # `denied`, as Twitter's clients expect
        "oauth_token": [credentials["oauth_token"]], "denied": [credentials["oauth_token"]]}


# --- Behind a TLS-terminating proxy (TRUST_X_FORWARDED_PROTO), on gunicorn with DEBUG off ----------


def test_plaintext_over_https_behind_a_proxy(app, alice):
    https = {"X-Forwarded-Proto": "https"}
    with gunicorn_server(extra_env={"TRUST_X_FORWARDED_PROTO": "1", "DEBUG": "0"}) as base:
        oauth = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob",
                              signature_method="PLAINTEXT")
        oauth.headers.update(https)
        credentials = oauth.fetch_request_token(f"{base}/oauth/request_token")

        # The user's step runs in this process against the same database (secure cookies do not
        # travel back over the test's plain connection).
        browser = Client()
        browser.force_login(alice)
        page = browser.post("/oauth/authorize", {"oauth_token": credentials["oauth_token"],
                                                 "decision": "authorize"}, secure=True)
        verifier = re.search(r'<code id="oauth-verifier">([^<]+)</code>', page.content.decode()).group(1)

        access = oauth.fetch_access_token(f"{base}/oauth/access_token", verifier=verifier)
        api = OAuth1Session(app.client_key, app.client_secret, access["oauth_token"],
                            access["oauth_token_secret"], signature_method="PLAINTEXT")
        api.headers.update(https)
        assert api.get(f"{base}/v2/products").status_code == 200

        # The same client without the proxy's header is on plain HTTP: PLAINTEXT is refused.
        plain = OAuth1Session(app.client_key, app.client_secret, access["oauth_token"],
                              access["oauth_token_secret"], signature_method="PLAINTEXT")
        refused = plain.get(f"{base}/v2/products")
        assert refused.status_code == 400
        assert refused.json()["additional"] == "The PLAINTEXT signature method is accepted only over HTTPS."

        # HMAC-SHA1 behind the proxy: the client signed the https:// URL it thinks it called.
        reader = OAuth1(app.client_key, app.client_secret, access["oauth_token"], access["oauth_token_secret"])
        prepared = requests.Request("GET", f"{base.replace('http://', 'https://')}/v2/products",
                                    auth=reader, headers=https).prepare()
        prepared.url = prepared.url.replace("https://", "http://", 1)
        with requests.Session() as session:
            assert session.send(prepared).status_code == 200
