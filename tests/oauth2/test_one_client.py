"""One client, registered once, three ways in (docs/contract.md, "OAuth 2.0"): HTTP Basic for its owner,
OAuth 1.0a and OAuth 2.0 for a user who approved it, against a live server with real clients
(requests, requests-oauthlib's OAuth1Session and OAuth2Session) through the real endpoints."""
import pytest
import requests
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth1Session, OAuth2Session

from tests.factories import ALICE_PASSWORD, CALLBACK, make_consumer, make_product
from tests.oauth1.browser import answer_authorize_page
from tests.oauth2.helpers import approved_tokens

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
DEVELOPER_PASSWORD = "correct horse battery"  # tests.factories.make_user's default


def product_names(response):
    assert response.status_code == 200, response.text
    return [product["name"] for product in response.json()["results"]]


def test_one_client_works_with_basic_oauth1_and_oauth2(live_server, settings, monkeypatch, developer, alice):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False  # plain HTTP to the live server
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # requests-oauthlib's OAuth 2.0 asks for https
    base, products = live_server.url, f"{live_server.url}/v2/products"
    app = make_consumer(developer, name="Printer", callback_url=CALLBACK)  # registered once
    make_product(developer, name="Developer's lamp")
    make_product(alice, name="Alice's lamp")

    # HTTP Basic with the client key: the owner's own account.
    basic = requests.get(products, auth=("developer", DEVELOPER_PASSWORD), headers={"X-Client-Key": app.client_key})
    assert product_names(basic) == ["Developer's lamp"]

    # OAuth 1.0a, three-legged: alice approves on the authorize page.
    oauth1 = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri=CALLBACK)
    oauth1.fetch_request_token(f"{base}/oauth/request_token")
    approved = answer_authorize_page(base, oauth1.authorization_url(f"{base}/oauth/authorize"), "alice",
                                     ALICE_PASSWORD)
    oauth1.parse_authorization_response(approved.headers["Location"])
    oauth1.fetch_access_token(f"{base}/oauth/access_token")
    assert product_names(oauth1.get(products)) == ["Alice's lamp"]

    # OAuth 2.0, authorization code with PKCE: alice approves on the consent page; a Bearer token.
    pair = approved_tokens(app, alice)
    oauth2 = OAuth2Session(app.client_key, token=pair)
    assert product_names(oauth2.get(products)) == ["Alice's lamp"]
    assert oauth2.get(f"{base}/v2").json()["auth"] == {"scheme": "oauth2", "client_key": app.client_key}

    # OAuth 2.0, client credentials: the client acts as its owner, as with Basic.
    machine = OAuth2Session(client=BackendApplicationClient(client_id=app.client_key))
    machine.fetch_token(f"{base}/oauth2/token", client_id=app.client_key, client_secret=app.client_secret)
    assert product_names(machine.get(products)) == ["Developer's lamp"]
