"""No secret in any log: every flow run with the root logger at DEBUG and every record captured, and
gunicorn's access log written for requests that carry a client key and a PLAINTEXT signature in the
query string. And no traceback for a request refused as unreadable: one line each."""
import logging
import re
import runpy
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit

import pytest
import requests
from django.test import Client
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT, SIGNATURE_TYPE_QUERY
from requests_oauthlib import OAuth1

from tests.factories import CALLBACK, basic_header, make_access_token, make_consumer, make_user
from tests.oauth1.signing import signed_send
from tests.oauth2.helpers import client_auth, pkce_pair
from tests.servers import PROJECT_DIR, gunicorn_server

VERIFIER = re.compile(r'<code id="oauth-verifier">([^<]+)</code>')
ALICE_PASSWORD = "alice's long passphrase"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.texts = []

    def emit(self, record):
        texts = [record.getMessage(), str(record.msg), repr(record.args)]
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
        texts += [record.exc_text or "", record.stack_info or ""]
        self.texts.append("\n".join(texts))


@pytest.fixture
def captured():
    """Every record of every logger at DEBUG, as `LOG_LEVEL=DEBUG` would let through in production.

    Loggers that do not propagate to the root get the handler too; levels set in LOGGING stay.
    """
    handler, root = Capture(), logging.getLogger()
    loners = [logger for logger in logging.root.manager.loggerDict.values()
              if isinstance(logger, logging.Logger) and not logger.propagate]
    level = root.level
    root.setLevel(logging.DEBUG)
    for logger in [root, *loners]:
        logger.addHandler(handler)
    yield handler
    for logger in [root, *loners]:
        logger.removeHandler(handler)
    root.setLevel(level)


class Credentials:
    """What a token endpoint handed out, in the shape `signing.sign` wants (`key`, `secret`)."""

    def __init__(self, body):
        values = dict(parse_qsl(body))
        self.key, self.secret = values["oauth_token"], values["oauth_token_secret"]


def three_legged(client, browser, app, signature_method, secrets):
    """Request token -> the user authorizes on the page (oob) -> access token -> /v2, over HTTPS;
    then an exchange with the right verifier and a wrong client secret. Adds what must not be logged."""
    signed = {"signature_method": signature_method, "secure": True}
    issued = signed_send(client, "POST", "/oauth/request_token", app, callback="oob", **signed)
    assert issued.status_code == 200, issued.content
    request_token = Credentials(issued.content.decode())
    page = browser.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "authorize"})
    verifier = VERIFIER.search(page.content.decode()).group(1)

    refused = signed_send(client, "POST", "/oauth/access_token", app, token=request_token, verifier=verifier,
                          consumer_secret="a-wrong-client-secret", **signed)
    assert refused.status_code == 401
    exchanged = signed_send(client, "POST", "/oauth/access_token", app, token=request_token,
                            verifier=verifier, **signed)
    assert exchanged.status_code == 200, exchanged.content
    access_token = Credentials(exchanged.content.decode())
    assert signed_send(client, "GET", "/v2", app, token=access_token, **signed).status_code == 200

    secrets += [request_token.secret, access_token.secret, verifier]
    for token_secret in (request_token.secret, access_token.secret):
        plaintext_signature = f"{app.client_secret}&{token_secret}"
        secrets += [plaintext_signature, quote(plaintext_signature, safe="")]


@pytest.mark.django_db
def test_no_flow_logs_a_secret(captured, client):
    aladdin_password, wrong_password = "open sesame", "not the password"
    aladdin = make_user("Aladdin", password=aladdin_password)
    key = make_consumer(aladdin)
    app = make_consumer(make_user("developer"), name="Printer")
    make_user("alice", password=ALICE_PASSWORD)
    secrets = [aladdin_password, wrong_password, ALICE_PASSWORD, key.client_secret, app.client_secret]

    # HTTP Basic: right, wrong password, and the client key in the query.
    for password, status in [(aladdin_password, 200), (wrong_password, 401)]:
        header = basic_header("Aladdin", password)
        secrets.append(header.split()[1])
        response = client.get(f"/v2?client_key={key.client_key}", HTTP_AUTHORIZATION=header, secure=True)
        assert response.status_code == status

    # The login page: a failed sign-in, then a good one (the session the authorize page needs).
    browser = Client()
    assert browser.get("/login", secure=True).status_code == 200
    assert browser.post("/login", {"username": "alice", "password": wrong_password}, secure=True).status_code == 200
    assert browser.post("/login", {"username": "alice", "password": ALICE_PASSWORD}, secure=True).status_code == 302
    browser.defaults["wsgi.url_scheme"] = "https"  # secure cookies from here on

    for signature_method in (SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT):
        three_legged(client, browser, app, signature_method, secrets)

    assert captured.texts, "the handler saw the requests being logged"
    logged = "\n".join(captured.texts)
    leaked = [secret for secret in secrets if secret in logged]
    assert not leaked, f"{len(leaked)} secret(s) found in the logs"


def test_gunicorn_access_log_format_has_the_path_only():
    config = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    assert "%(U)s" in config["access_log_format"]
    for with_query in ("%(r)s", "%(q)s", "%({raw_uri}e)s", "%({query_string}e)s"):
        assert with_query not in config["access_log_format"]


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_holds_no_query_string(tmp_path):
    aladdin = make_user("Aladdin", password="open sesame")
    key = make_consumer(aladdin)
    token = make_access_token(key, aladdin)
    access_log = tmp_path / "access.log"
    env = {"ACCESS_LOG": str(access_log), "TRUST_X_FORWARDED_PROTO": "1"}  # as behind a TLS proxy
    with gunicorn_server(workers=1, extra_env=env) as base_url:
        basic = requests.get(f"{base_url}/v2?client_key={key.client_key}",
                             headers={"Authorization": basic_header("Aladdin", "open sesame")})
        assert basic.status_code == 200, basic.text
        # Signed for the https URL the proxy would have received, PLAINTEXT in the query string.
        signer = OAuth1(key.client_key, key.client_secret, token.key, token.secret,
                        signature_method=SIGNATURE_PLAINTEXT, signature_type=SIGNATURE_TYPE_QUERY)
        signed = requests.Request("GET", f"https://{base_url.split('://')[1]}/v2/products", auth=signer).prepare()
        assert "oauth_signature=" in signed.url
        oauth = requests.get(signed.url.replace("https://", "http://", 1), headers={"X-Forwarded-Proto": "https"})
        assert oauth.status_code == 200, oauth.text
    lines = access_log.read_text().splitlines()
    assert any('"GET /v2 HTTP/1.1" 200' in line for line in lines), lines
    assert any('"GET /v2/products HTTP/1.1" 200' in line for line in lines), lines
    logged = "\n".join(lines)
    for secret in (key.client_key, key.client_secret, token.key, token.secret, "oauth_signature", "?"):
        assert secret not in logged


@pytest.mark.django_db
def test_no_oauth2_flow_logs_a_secret(captured, client):
    app = make_consumer(make_user("developer"), name="Printer", callback_url=CALLBACK)
    alice = make_user("alice", password=ALICE_PASSWORD)
    browser = Client()
    browser.force_login(alice)
    verifier, challenge = pkce_pair()
    query = urlencode({"response_type": "code", "client_id": app.client_key,  # none: none at the token endpoint
                       "code_challenge": challenge, "code_challenge_method": "S256", "state": "st"})
    approved = browser.post(f"/oauth2/authorize?{query}", {"decision": "authorize"})
    code = parse_qs(urlsplit(approved["Location"]).query)["code"][0]
    auth = client_auth(app)
    wrong = client.post("/oauth2/token", {"grant_type": "authorization_code", "code": code,
                                          "code_verifier": verifier}, **client_auth(app, "a-wrong-secret"))
    assert wrong.status_code == 401
    tokens = client.post("/oauth2/token", {"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": CALLBACK, "code_verifier": verifier}, **auth).json()
    refreshed = client.post("/oauth2/token", {"grant_type": "refresh_token",
                                              "refresh_token": tokens["refresh_token"]}, **auth).json()
    replayed = client.post("/oauth2/token", {"grant_type": "refresh_token",
                                             "refresh_token": tokens["refresh_token"]}, **auth)
    assert replayed.status_code == 400
    owner = client.post("/oauth2/token", {"grant_type": "client_credentials"}, **auth).json()
    assert client.post("/oauth2/introspect", {"token": owner["access_token"]}, **auth).json()["active"]
    assert client.post("/oauth2/revoke_token", {"token": owner["access_token"]}, **auth).status_code == 200

    secrets = [app.client_secret, "a-wrong-secret", code, verifier, auth["HTTP_AUTHORIZATION"].split()[1],
               tokens["access_token"], tokens["refresh_token"], refreshed["access_token"],
               refreshed["refresh_token"], owner["access_token"]]
    assert captured.texts, "the handler saw the requests being logged"
    logged = "\n".join(captured.texts)
    leaked = [secret for secret in secrets if secret in logged]
    assert not leaked, f"{len(leaked)} secret(s) found in the logs"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_a_form_body_not_in_utf8_is_refused_in_one_log_line(capfd):
    latin1 = {"Content-Type": "application/x-www-form-urlencoded; charset=latin-1"}
    with gunicorn_server(workers=1) as base_url:
        capfd.readouterr()  # what the server said while starting
        page = requests.post(f"{base_url}/login", data="username=caf\xe9".encode("latin-1"), headers=latin1)
        api = requests.post(f"{base_url}/v2/products", data="name=caf\xe9".encode("latin-1"), headers=latin1)
        token = requests.post(f"{base_url}/oauth2/token", data=b"grant_type=client_credentials", headers=latin1)
    logged = capfd.readouterr().err
    assert "Traceback" not in logged, logged
    refusals = [line for line in logged.splitlines() if "UTF-8" in line]
    assert len(refusals) == 3, logged
    assert all(line.startswith("Refused before the view") for line in refusals), refusals
    assert page.status_code == 400 and "text/html" in page.headers["Content-Type"]
    for response in (api, token):  # the contract's JSON at the API's and the token endpoint's URLs
        assert response.status_code == 400
        assert response.json()["additional"] == "A form body must be encoded in UTF-8."
