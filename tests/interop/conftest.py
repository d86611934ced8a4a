"""The interop harness: each client library's driver script against the server `make run` starts.

A driver performs the steps with its library's own API and prints one JSON object per line; when it
needs the user's approval it prints {"authorize": TOKEN}, and the harness, as the user at a browser,
answers the authorize page and writes the verifier back. Results are kept per library for the run, so
the matrix (library x step) costs one run of each driver.

OAuth 2.0 drivers print {"authorize": URL, "decision": "authorize" or "deny"} (the harness, signed in
as the user over HTTP, answers the consent page and writes back the address it was sent to) and
{"device": USER_CODE} (the user types the code on the device page and authorizes; "ok" comes back).
"""
import html
import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.factories import make_consumer, make_user
from tests.oauth1.browser import answer_authorize_page, verifier_shown
from tests.servers import dev_server

HERE = Path(__file__).resolve().parent
CLIENTS = HERE / "clients"
CALLBACK = "https://printer.example.com/oauth/ready"
PASSWORD = "alice's long passphrase"
# Spaces (as + and %20), an encoded +, UTF-8, a repeated and an empty parameter.
ODD_QUERY_PATH = "/v2/products?q=desk+lamp&sp=a%20b&plus=1%2B1&utf=caf%C3%A9&rep=1&rep=2&empty="


@pytest.fixture(scope="session")
def interop_server(django_db_setup):
    with dev_server() as base_url:
        yield base_url


_results = {}
_oauth2_results = {}


@pytest.fixture
def library_results(interop_server, transactional_db):
    """`library_results(name, command)`: that library's results by step, running its driver once."""
    def results(name, command):
        if name not in _results:
            _results[name] = run_driver(command, interop_server)
        return _results[name]
    return results


def run_driver(command, base_url):
    developer = make_user("interop-developer")
    app = make_consumer(developer, name="Interop", callback_url=CALLBACK)
    make_user("alice", password=PASSWORD)
    config = {"base": base_url, "key": app.client_key, "secret": app.client_secret, "callback": CALLBACK,
              "odd_query_path": ODD_QUERY_PATH}
    process = subprocess.Popen([*command, json.dumps(config)], cwd=HERE, text=True, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = {}
    try:
        for line in process.stdout:
            message = json.loads(line)
            if "authorize" in message:
                process.stdin.write(authorize(base_url, message["authorize"]) + "\n")
                process.stdin.flush()
            elif "step" in message:
                results[message["step"]] = message
            else:
                results["_library"] = message
        process.wait(timeout=120)
    finally:
        process.kill()
    stderr = process.stderr.read()
    results["_stderr"] = stderr
    assert "_library" in results, f"{command[0]} did not start: {stderr[-2000:]}"
    return results


def authorize(base_url, token):
    """The user approves `token`; the verifier from the callback redirect, or as shown for oob."""
    page = answer_authorize_page(base_url, f"{base_url}/oauth/authorize?oauth_token={token}", "alice", PASSWORD)
    if page.status_code == 302:
        return parse_qs(urlsplit(page.headers["Location"]).query)["oauth_verifier"][0]
    return verifier_shown(page)


@pytest.fixture
def oauth2_library_results(interop_server, transactional_db):
    """`oauth2_library_results(name, command)`: that OAuth 2.0 library's results by step, running its
    driver once."""
    def results(name, command):
        if name not in _oauth2_results:
            _oauth2_results[name] = run_oauth2_driver(command, interop_server)
        return _oauth2_results[name]
    return results


OAUTH2_SCOPE = "account:read products:read"


def run_oauth2_driver(command, base_url):
    developer = make_user("interop-developer")
    app = make_consumer(developer, name="Interop", callback_url=CALLBACK)
    make_user("alice", password=PASSWORD)
    config = {"base": base_url, "client_id": app.client_key, "client_secret": app.client_secret,
              "redirect_uri": CALLBACK, "scope": OAUTH2_SCOPE}
    # Loopback plain HTTP (the server `make run` starts): the Python libraries refuse it unless told.
    env = {**os.environ, "OAUTHLIB_INSECURE_TRANSPORT": "1", "AUTHLIB_INSECURE_TRANSPORT": "1"}
    process = subprocess.Popen([*command, json.dumps(config)], cwd=HERE, text=True, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    person, results = Person(base_url), {}
    try:
        for line in process.stdout:
            message = json.loads(line)
            if "authorize" in message:
                answer = person.consent(message["authorize"], message.get("decision", "authorize"))
            elif "device" in message:
                answer = person.approve_device(message["device"])
            elif "step" in message:
                results[message["step"]] = message
                continue
            else:
                results["_library"] = message
                continue
            process.stdin.write(answer + "\n")
            process.stdin.flush()
        process.wait(timeout=180)
    finally:
        process.kill()
        person.close()
    results["_stderr"] = process.stderr.read()
    assert "_library" in results, f"{command[0]} did not start: {results['_stderr'][-2000:]}"
    return results


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONSENT_FORM = re.compile(r'<form method="post" action="([^"]*)" class="actions">(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class Person:
    """Alice at a browser, over real HTTP: signed in once through the login form, then answering
    consent pages (the form's own action and hidden fields, its CSRF token) and the device page."""

    def __init__(self, base_url):
        self.base_url, self.browser = base_url, requests.Session()
        page = self.browser.get(f"{base_url}/login")
        signed_in = self.browser.post(f"{base_url}/login", allow_redirects=False, data={
            "username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)})
        assert signed_in.status_code == 302, signed_in.text

    def consent(self, url, decision):
        """Open the authorization `url`, press `decision`; the address the browser is sent to."""
        page = self.browser.get(url, allow_redirects=False)
        if page.status_code == 302:  # refused before any consent (an error sent back to the client)
            return page.headers["Location"]
        answered = self._press(page, decision)
        assert answered.status_code == 302, answered.text[:2000]
        return answered.headers["Location"]

    def approve_device(self, user_code):
        page = self.browser.get(f"{self.base_url}/oauth2/device")
        consent = self.browser.post(f"{self.base_url}/oauth2/device", data={
            "user_code": user_code, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)})
        answered = self._press(consent, "authorize")
        assert answered.status_code in (200, 302), answered.text[:2000]
        return "ok"

    def _press(self, page, decision):
        action, fields = CONSENT_FORM.search(page.text).groups()
        data = {name: html.unescape(value) for name, value in HIDDEN.findall(fields)}
        data.update(csrfmiddlewaretoken=CSRF.search(page.text).group(1), decision=decision)
        return self.browser.post(self.base_url + html.unescape(action), data=data, allow_redirects=False)

    def close(self):
        self.browser.close()
