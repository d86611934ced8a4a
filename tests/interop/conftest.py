"""The interop harness: each client library's driver script against the server `make run` starts.

A driver performs the steps with its library's own API and prints one JSON object per line; when it
needs the user's approval it prints {"authorize": TOKEN}, and the harness, as the user at a browser,
answers the authorize page and writes the verifier back. Results are kept per library for the run, so
the matrix (library x step) costs one run of each driver.
"""
import json
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

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
