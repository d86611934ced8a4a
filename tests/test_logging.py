"""No secret in any log: every flow run with the root logger at DEBUG and every record captured, and
gunicorn's access log written for requests that carry a client key and a PLAINTEXT signature in the
query string; and on gunicorn with JSON logs, every flow (Basic, OAuth 1.0a, OAuth 2.0, a password
reset) with everything the server wrote searched. No traceback for a request refused as unreadable:
one line each. One request ID followed from the answer through every line it caused."""
import html
import json
import logging
import re
import runpy
import time
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit

import pytest
import requests
from django.test import Client
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT, SIGNATURE_TYPE_QUERY
from requests_oauthlib import OAuth1

from tests.accounts.test_password_reset import site_mailing_through_smtp
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


# --- JSON lines on gunicorn (LOG_FORMAT=json): one request ID through every line; no secret anywhere ----

def json_lines(text):
    """Every line of `text` as the object it must be: a line that is not one JSON object fails."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_one_request_id_from_the_answer_through_every_log_line(capfd):
    aladdin = make_user("Aladdin", password="open sesame")
    key = make_consumer(aladdin)
    env = {"LOG_FORMAT": "json", "TRUSTED_PROXIES": "1", "DJANGO_SETTINGS_MODULE": "tests.settings_failing"}
    with gunicorn_server(workers=1, extra_env=env) as base_url:
        def get(path, password="open sesame", address="203.0.113.7", **headers):
            return requests.get(f"{base_url}{path}", headers={
                "Authorization": basic_header("Aladdin", password), "X-Client-Key": key.client_key,
                "X-Forwarded-For": f"198.51.100.1, {address}", **headers})

        served, refused = get("/v2"), get("/v2", password="not the password", address="203.0.113.8")
        failed = get("/failing-page", **{"X-Request-ID": "proxy-7f1c2e9a"})
    logged = capfd.readouterr()
    lines = json_lines(logged.err)
    assert logged.out == ""  # no access log of gunicorn's: Django writes the access line

    assert (served.status_code, refused.status_code, failed.status_code) == (200, 401, 500)
    request_id = failed.headers["X-Request-ID"]
    assert request_id == "proxy-7f1c2e9a"  # from the trusted proxy
    assert re.search(rf"<code>{request_id}</code>", failed.text)  # on the 500 page
    its_lines = [line for line in lines if line["request_id"] == request_id]
    assert [line for line in lines if request_id in json.dumps(line) and line not in its_lines] == []
    assert {(line["logger"], line["level"]) for line in its_lines} == {
        ("django.request", "ERROR"), ("apiproject.access", "INFO")}
    assert any("RuntimeError: a bug behind a page" in line.get("exception", "") for line in its_lines)
    assert any(line["message"].startswith(f"Server error, request ID {request_id}") for line in its_lines)
    (access,) = [line for line in its_lines if line["logger"] == "apiproject.access"]
    assert {name: access[name] for name in ("method", "path", "route", "scheme", "outcome", "status", "client")} == {
        "method": "GET", "path": "/failing-page", "route": "failing-page", "scheme": "basic",
        "outcome": "internal_server_error", "status": 500, "client": "203.0.113.7"}
    assert isinstance(access["latency_ms"], (int, float)) and access["latency_ms"] >= 0
    assert access["time"].endswith("+00:00")

    refused_lines = [line for line in lines if line["request_id"] == refused.headers["X-Request-ID"]]
    assert {(line["logger"], line["level"], line["message"]) for line in refused_lines} == {
        ("django.request", "WARNING", "Unauthorized: /v2"), ("apiproject.access", "INFO", "GET api-root 401")}
    access_lines = [line for line in lines if line["logger"] == "apiproject.access"]
    for answer, outcome, address in [(served, "served", "203.0.113.7"),
                                     (refused, "invalid_credentials", "203.0.113.8")]:
        request_id = answer.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # made here: no ID came with these
        (access,) = [line for line in access_lines if line["request_id"] == request_id]
        assert (access["route"], access["scheme"], access["outcome"], access["status"], access["client"]) == (
            "api-root", "basic", outcome, answer.status_code, address)


class ThroughTheProxy:
    """A browser behind the TLS-terminating proxy (`TRUST_X_FORWARDED_PROTO`): its requests are HTTPS to
    Django, so the site's `Secure` cookies are sent by hand (`requests` keeps them off plain http)."""

    def __init__(self, base_url):
        self.base_url, self.cookies = base_url, {}
        self.origin = "https://" + base_url.split("://", 1)[1]

    def send(self, method, path, **kwargs):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin, **kwargs.pop("headers", {}),
                   **({"Cookie": cookie} if cookie else {})}
        response = requests.request(method, f"{self.base_url}{path}", headers=headers, allow_redirects=False,
                                    **kwargs)
        self.cookies.update(response.cookies.items())
        return response

    def form(self, path):
        """The page at `path`, its form's action and its fields (CSRF token included)."""
        page = self.send("GET", path)
        assert page.status_code == 200, (path, page.status_code)
        fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
        actions = [html.unescape(action) for action in FORM_ACTION.findall(page.text) if "logout" not in action]
        return page, actions[0] if actions else path, fields  # not the header's "Sign out"

    def signed(self, method, path, auth, **kwargs):
        """An OAuth 1.0a request signed for the https URL the proxy received, sent to the server."""
        prepared = requests.Request(method, f"{self.origin}{path}", auth=auth, **kwargs).prepare()
        prepared.url = prepared.url.replace(self.origin, self.base_url, 1)
        prepared.headers["X-Forwarded-Proto"] = "https"
        with requests.Session() as session:
            return session.send(prepared)

    def api(self, method, path, **kwargs):
        return requests.request(method, f"{self.base_url}{path}", headers={
            "X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}, allow_redirects=False, **kwargs)


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]*)"')


def sign_in(browser, username, password):
    _, action, fields = browser.form("/login")
    return browser.send("POST", "/login", data={**fields, "username": username, "password": password})


def oauth1_flow(browser, app, secrets):
    """Three-legged with HMAC-SHA1 (a wrong client secret at the exchange first), then signed requests:
    HMAC-SHA1 in the header, PLAINTEXT in the header and in the query string."""
    issued = browser.signed("POST", "/oauth/request_token", OAuth1(app.client_key, app.client_secret,
                                                                   callback_uri="oob"))
    assert issued.status_code == 200, issued.text
    request_token = dict(parse_qsl(issued.text))
    _, action, fields = browser.form(f"/oauth/authorize?oauth_token={request_token['oauth_token']}")
    shown = browser.send("POST", action, data={**fields, "decision": "authorize"})
    verifier = VERIFIER.search(shown.text).group(1)
    exchange = {"resource_owner_key": request_token["oauth_token"], "verifier": verifier,
                "resource_owner_secret": request_token["oauth_token_secret"]}
    wrong = browser.signed("POST", "/oauth/access_token", OAuth1(app.client_key, "a-wrong-client-secret", **exchange))
    assert wrong.status_code == 401
    exchanged = browser.signed("POST", "/oauth/access_token", OAuth1(app.client_key, app.client_secret, **exchange))
    assert exchanged.status_code == 200, exchanged.text
    access = dict(parse_qsl(exchanged.text))
    token = (app.client_key, app.client_secret, access["oauth_token"], access["oauth_token_secret"])
    assert browser.signed("GET", "/v2/products", OAuth1(*token)).status_code == 200
    assert browser.signed("GET", "/v2", OAuth1(*token, signature_method=SIGNATURE_PLAINTEXT)).status_code == 200
    in_query = OAuth1(*token, signature_method=SIGNATURE_PLAINTEXT, signature_type=SIGNATURE_TYPE_QUERY)
    assert browser.signed("GET", "/v2/products", in_query).status_code == 200
    secrets += [request_token["oauth_token"], request_token["oauth_token_secret"], verifier,
                access["oauth_token"], access["oauth_token_secret"]]
    for token_secret in ("", request_token["oauth_token_secret"], access["oauth_token_secret"]):
        plaintext_signature = f"{app.client_secret}&{token_secret}"
        secrets += [plaintext_signature, quote(plaintext_signature, safe="")]


def oauth2_flow(browser, app, secrets):
    """Authorization code with PKCE on the consent page (a wrong client secret at the exchange first),
    the exchange, a Bearer request, a refresh, and the used refresh token replayed."""
    verifier, challenge = pkce_pair()
    query = urlencode({"response_type": "code", "client_id": app.client_key, "redirect_uri": CALLBACK,
                       "code_challenge": challenge, "code_challenge_method": "S256", "state": "st"})
    _, action, fields = browser.form(f"/oauth2/authorize?{query}")
    approved = browser.send("POST", action, data={**fields, "decision": "authorize"})
    assert approved.status_code == 302, approved.text
    code = parse_qs(urlsplit(approved.headers["Location"]).query)["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    wrong = browser.api("POST", "/oauth2/token", data=exchange, auth=(app.client_key, "a-wrong-secret"))
    assert wrong.status_code == 401
    tokens = browser.api("POST", "/oauth2/token", data=exchange, auth=(app.client_key, app.client_secret))
    assert tokens.status_code == 200, tokens.text
    tokens = tokens.json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert browser.api("GET", "/v2/products", headers=bearer).status_code == 200
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    refreshed = browser.api("POST", "/oauth2/token", data=refresh, auth=(app.client_key, app.client_secret))
    assert refreshed.status_code == 200, refreshed.text
    replayed = browser.api("POST", "/oauth2/token", data=refresh, auth=(app.client_key, app.client_secret))
    assert replayed.status_code == 400
    secrets += [code, verifier, tokens["access_token"], tokens["refresh_token"],
                refreshed.json()["access_token"], refreshed.json()["refresh_token"], "a-wrong-secret",
                basic_header(app.client_key, app.client_secret).split()[1]]


def password_reset(browser, mail, email, new_password, secrets):
    """Ask for a reset, open the mailed link, choose a new password."""
    _, action, fields = browser.form("/account/password-reset")
    assert browser.send("POST", "/account/password-reset", data={**fields, "email": email}).status_code == 302
    deadline = time.monotonic() + 10
    while not mail.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    ((_, text),) = mail.messages
    link = RESET_LINK.search(text.replace("=\r\n", "")).group(1)
    opened = browser.send("GET", link)
    assert opened.status_code == 302, opened.status_code
    _, action, fields = browser.form(opened.headers["Location"])
    done = browser.send("POST", opened.headers["Location"],
                        data={**fields, "new_password1": new_password, "new_password2": new_password})
    assert done.headers.get("Location") == "/account/reset/done", done.status_code
    secrets += [urlsplit(link).query.removeprefix("token=")]


RESET_LINK = re.compile(r"https?://[^/\s]+(/account/reset/\S+)")


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_json_logs_of_every_flow_on_gunicorn_hold_no_secret(capfd):
    aladdin_password, wrong_password, new_password = "open sesame", "not the password", "a brand new passphrase 8"
    aladdin = make_user("Aladdin", password=aladdin_password)
    key = make_consumer(aladdin)
    app = make_consumer(make_user("developer"), name="Printer", callback_url=CALLBACK)
    make_user("alice", password=ALICE_PASSWORD, email="alice@example.com")
    secrets = [aladdin_password, wrong_password, ALICE_PASSWORD, new_password, key.client_secret,
               app.client_secret, key.client_key]
    env = {"LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG", "TRUST_X_FORWARDED_PROTO": "1"}
    with site_mailing_through_smtp(0, **env) as (base_url, mail):
        browser = ThroughTheProxy(base_url)
        for password, status in [(aladdin_password, 200), (wrong_password, 401)]:
            header = basic_header("Aladdin", password)
            answer = browser.api("GET", f"/v2?client_key={key.client_key}", headers={"Authorization": header})
            assert answer.status_code == status
            secrets.append(header.split()[1])
        assert sign_in(browser, "alice", wrong_password).status_code == 200
        assert sign_in(browser, "alice", ALICE_PASSWORD).status_code == 302
        oauth1_flow(browser, app, secrets)
        oauth2_flow(browser, app, secrets)
        password_reset(ThroughTheProxy(base_url), mail, "alice@example.com", new_password, secrets)
        secrets += [browser.cookies["sessionid"], browser.cookies["csrftoken"]]
    logged = capfd.readouterr()
    lines = json_lines(logged.err)  # every line JSON, gunicorn's own too
    routes = {(line["route"], line["scheme"], line["outcome"])
              for line in lines if line["logger"] == "apiproject.access"}
    assert {("api-root", "basic", "served"), ("api-root", "basic", "invalid_credentials"),
            ("login", "none", "served"), ("oauth-request-token", "oauth1", "served"),
            ("oauth-access-token", "oauth1", "invalid_credentials"), ("product-list", "oauth1", "served"),
            ("api-root", "oauth1", "served"), ("oauth2-token", "oauth2", "invalid_client"),
            ("oauth2-token", "oauth2", "served"), ("product-list", "oauth2", "served"),
            ("oauth2-token", "oauth2", "invalid_grant"), ("password-reset", "none", "served"),
            ("password-reset-confirm", "none", "served")} <= routes, routes
    everything = logged.out + logged.err
    leaked = [secret for secret in secrets if secret in everything]
    assert not leaked, f"{len(leaked)} of {len(secrets)} secrets found in the logs"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_text_lines_end_with_the_request_id(capfd):
    with gunicorn_server(workers=1) as base_url:  # LOG_FORMAT unset: text
        capfd.readouterr()  # what the server said while starting
        refused = requests.get(f"{base_url}/v2/products", headers={"Authorization": "Bearer no-such-token"})
    logged = capfd.readouterr()
    request_id = refused.headers["X-Request-ID"]
    assert f"Unauthorized: /v2/products [request {request_id}]" in logged.err.splitlines()
    assert '"GET /v2/products HTTP/1.1" 401' in logged.out  # gunicorn's access log, as before
    assert "apiproject.access" not in logged.err and request_id not in logged.out
