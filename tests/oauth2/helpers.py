"""OAuth 2.0 test helpers: client authentication at the token endpoints, PKCE pairs."""
import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

from tests.factories import basic_header


def client_auth(app, secret=None):
    """HTTP Basic with the client key and secret (RFC 6749 §2.3.1), as Django test-client headers."""
    return {"HTTP_AUTHORIZATION": basic_header(app.client_key, app.client_secret if secret is None else secret)}


def pkce_pair():
    """(verifier, S256 challenge), RFC 7636 §4.1-4.2."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def approved_code(app, user, scope=None, redirect_uri=None):
    """(code, PKCE verifier) as the consent page gives them: `user` approves `app` (Django's test
    client, signed in). `redirect_uri`: the app's callback unless given; "" leaves it out."""
    browser = Client()
    browser.force_login(user)
    verifier, challenge = pkce_pair()
    redirect_uri = app.callback_url if redirect_uri is None else redirect_uri
    query = {"response_type": "code", "client_id": app.client_key, "code_challenge": challenge,
             "code_challenge_method": "S256", **({"redirect_uri": redirect_uri} if redirect_uri else {}),
             **({"scope": scope} if scope else {})}
    response = browser.post("/oauth2/authorize?" + urlencode(query), {"decision": "authorize"})
    return parse_qs(urlsplit(response["Location"]).query)["code"][0], verifier


def approved_tokens(app, user, scope=None):
    """A token pair as the authorization code flow gives it: `user` approves `app` on the consent
    page (Django's test client, signed in), and the code is exchanged with its PKCE verifier."""
    code, verifier = approved_code(app, user, scope)
    response = Client().post("/oauth2/token", {"grant_type": "authorization_code", "code": code,
                                               "redirect_uri": app.callback_url, "code_verifier": verifier},
                             **client_auth(app))
    assert response.status_code == 200, response.content
    return response.json()
