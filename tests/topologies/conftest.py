"""The service (gunicorn, two workers, the suite's settings) on a real Redis deployment from
tests/redis_servers.py, and what a client and an operator do to it: sign in through the authorize page,
call the API with each scheme, run `manage.py suspend`."""
import html
import os
import subprocess
import sys
from urllib.parse import urljoin

import pytest
import requests
from requests_oauthlib import OAuth1

from tests import servers  # test_database_url by name would be collected
from tests.factories import basic_header, make_access_token, make_bearer_token, make_consumer, make_user
from tests.oauth1.browser import CSRF, NEXT, REQUEST_TOKEN
from tests.redis_servers import missing_binaries

PASSWORD = "open sesame"
REQUEST_TIMEOUT = 10  # seconds; a request that gets no answer at all fails the test
COMMAND_TIMEOUT = 30  # seconds for `manage.py` (Django's start-up included)


def skip_unless_installed(*binaries):
    """Skip (saying what to install) when a Debian binary is missing; CI installs them (`make redis`)."""
    reason = missing_binaries(*binaries)
    if reason:
        pytest.skip(reason)


def error_body(response, status, *, more=()):
    """The guide's error body: the four keys (and only the `more` the endpoint adds), its status the
    response's; its message."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"status", "message", "additional", "reference", *more}, body
    assert body["status"] == status
    return body["message"]


def get(url, **kwargs):
    return requests.get(url, timeout=REQUEST_TIMEOUT, **kwargs)


def spend_budget(url, credentials, budget, workers=2):
    """Call until refused: `budget` answers 200 (one more per worker at most: a count a worker still owes,
    as the rate limits allow), then 429s in the guide's body."""
    answers = [get(url, **credentials) for _ in range(budget + workers + 2)]
    statuses = [answer.status_code for answer in answers]
    served = statuses.count(200)
    assert statuses == [200] * served + [429] * (len(statuses) - served), statuses
    assert budget <= served <= budget + workers, statuses
    assert error_body(answers[-1], 429) == "Too many requests"
    assert int(answers[-1].headers["Retry-After"]) >= 1


def manage(*args, env):
    """Run `manage.py` as an operator would, on the test database and the deployment in `env`: (exit code,
    stdout and stderr together)."""
    command_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "apiproject.settings_test",
                   "DATABASE_URL": servers.test_database_url(), **env}
    finished = subprocess.run([sys.executable, "manage.py", *args], check=False, cwd=servers.PROJECT_DIR,
                              env=command_env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    return finished.returncode, finished.stdout + finished.stderr


class Account:
    """A user with a password, a client key for Basic, an OAuth 1.0a access token and a Bearer token (each
    through its own client, so each scheme has its own rate budget)."""

    def __init__(self, username):
        self.username = username
        self.user = make_user(username, password=PASSWORD)
        self.key = make_consumer(self.user)
        self.oauth1_app = make_consumer(self.user)
        self.oauth1_token = make_access_token(self.oauth1_app, self.user)
        self.bearer_token = make_bearer_token(make_consumer(self.user), self.user)

    def basic(self, password=PASSWORD):
        return {"headers": {"Authorization": basic_header(self.username, password),
                            "X-Client-Key": self.key.client_key}}

    def oauth1(self):
        """A fresh signature (nonce, timestamp) each time it signs a request."""
        return {"auth": OAuth1(self.oauth1_app.client_key, self.oauth1_app.client_secret,
                               self.oauth1_token.key, self.oauth1_token.secret)}

    def bearer(self):
        return {"headers": {"Authorization": f"Bearer {self.bearer_token.value}"}}

    def schemes(self):
        return {"basic": self.basic(), "oauth1": self.oauth1(), "bearer": self.bearer()}


@pytest.fixture
def account(transactional_db):
    """Make an `Account` by username: account("aladdin")."""
    return Account


class Browser:
    """A person's browser on plain HTTP. The suite's settings mark the session and CSRF cookies Secure (DEBUG
    is off) and the test talks plain HTTP to gunicorn on loopback, as nginx does; requests would keep such
    cookies to itself, so this browser sends back whatever it was given and follows redirects itself."""

    def __init__(self, base_url):
        self.base_url, self.cookies = base_url, {}

    def request(self, method, url, *, follow=True, **kwargs):
        while True:
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            response = requests.request(method, urljoin(self.base_url, url), headers={"Cookie": cookie},
                                        allow_redirects=False, timeout=REQUEST_TIMEOUT, **kwargs)
            self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
            location = response.headers.get("Location", "")
            if not (follow and response.is_redirect and location.startswith(("/", self.base_url))):
                return response
            method, url, kwargs = "GET", location, {}


def approve(base_url, authorize_url, username, password):
    """A person at a browser: opens the authorize page, signs in when asked, presses Authorize; the answer,
    unredirected."""
    browser = Browser(base_url)
    page = browser.request("GET", authorize_url)
    assert "/login" in page.url, "the authorize page asks for a login first"
    page = browser.request("POST", page.url, data={
        "username": username, "password": password, "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "next": html.unescape(NEXT.search(page.text).group(1)),
    })
    assert page.status_code == 200 and page.url.startswith(f"{base_url}/oauth/authorize"), page.text
    return browser.request("POST", f"{base_url}/oauth/authorize", follow=False, data={
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "oauth_token": REQUEST_TOKEN.search(page.text).group(1),
        "decision": "authorize",
    })
