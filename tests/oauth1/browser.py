"""A person at a web browser, over real HTTP: signs in through the login form and answers the
authorize page, as requests' Session (cookies and CSRF token included)."""
import html
import re

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'name="next" value="([^"]*)"')
REQUEST_TOKEN = re.compile(r'name="oauth_token" value="([^"]+)"')
VERIFIER = re.compile(r'<code id="oauth-verifier">([^<]+)</code>')


def answer_authorize_page(base_url, authorize_url, username, password, decision="authorize"):
    """Open `authorize_url`, sign in when asked, press the button; the final response, unredirected."""
    with requests.Session() as browser:
        page = browser.get(authorize_url)
        assert "/login" in page.url, "the authorize page asks for a login first"
        page = browser.post(page.url, data={
            "username": username, "password": password, "csrfmiddlewaretoken": _csrf(page),
            "next": html.unescape(NEXT.search(page.text).group(1)),
        })
        assert page.status_code == 200 and page.url.startswith(f"{base_url}/oauth/authorize"), page.text
        return browser.post(f"{base_url}/oauth/authorize", allow_redirects=False, data={
            "csrfmiddlewaretoken": _csrf(page),
            "oauth_token": REQUEST_TOKEN.search(page.text).group(1),
            "decision": decision,
        })


def verifier_shown(response):
    return VERIFIER.search(response.text).group(1)


def _csrf(page):
    return CSRF.search(page.text).group(1)
