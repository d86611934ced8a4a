"""A developer's credentials in a real browser (Debian's chromium): a rotation with an overlap, the
previous secret's last use shown, the rotate page's warning, the debugger agreeing with the server for
the previous secret and a stale timestamp, "expire now" ending the previous secret on the next request;
the people who authorized the app and the user's authorized-apps page in words. The app side is
requests-oauthlib against the live server; axe-core checks each page on the way."""
import time

import pytest
from oauthlib.oauth1 import Client
from requests_oauthlib import OAuth1Session

from tests.pages.conftest import assert_accessible, copy_from, register_app, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

DEVELOPER_PASSWORD = "developer pass phrase 1"
USER_PASSWORD = "end user pass phrase 2"


def authorized_token(person, live_server, client_key, client_secret):
    """(token, token secret) the person gives the app with oob, in her browser."""
    app = OAuth1Session(client_key, client_secret=client_secret, callback_uri="oob")
    app.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person.goto(app.authorization_url(f"{live_server.url}/oauth/authorize"))
    person.get_by_role("button", name="Authorize").click()
    verifier = person.locator("#oauth-verifier").inner_text().strip()
    tokens = app.fetch_access_token(f"{live_server.url}/oauth/access_token", verifier=verifier)
    return tokens["oauth_token"], tokens["oauth_token_secret"]


def products(live_server, client_key, secret, token):
    session = OAuth1Session(client_key, client_secret=secret, resource_owner_key=token[0],
                            resource_owner_secret=token[1])
    return session.get(f"{live_server.url}/v2/products").status_code


def debug(page, url, authorization):
    page.get_by_label("Method").select_option("GET")
    page.get_by_label("URL", exact=True).fill(url)
    page.get_by_label("Authorization header").fill(authorization)
    page.get_by_role("button", name="Compute the signature").click()
    page.locator("#debug-summary").wait_for()
    return " ".join(page.locator("#debug-summary").inner_text().split())


def test_rotation_overlap_last_use_debugger_and_expire_now(new_page, live_server):
    developer = new_page()
    sign_up(developer, "devon", DEVELOPER_PASSWORD)
    client_key, old_secret = register_app(developer, "Photo sync", scopes=["products:read"])
    developer.get_by_role("link", name="I have copied it").click()
    app_page = developer.url

    person = new_page()
    sign_up(person, "erin", USER_PASSWORD)
    token = authorized_token(person, live_server, client_key, old_secret)
    assert products(live_server, client_key, old_secret, token) == 200

    # Who uses the app: one person, one OAuth 1.0a token, its scope in words.
    developer.reload()
    assert developer.locator("#authorized-users").inner_text().startswith("1 person has authorized this app")
    row = developer.locator("#live-tokens tbody tr")
    assert row.count() == 1 and "OAuth 1.0a" in row.inner_text() and "Read your products" in row.inner_text()
    assert developer.locator("#current-secret-use").inner_text().startswith("last used 20")
    assert_accessible(developer, "the app page")

    # Rotate, keeping the old secret for an hour: nothing warns yet, as no secret is in an overlap.
    developer.get_by_role("link", name="Rotate secret").click()
    assert developer.locator("#overlap-ends").count() == 0
    developer.get_by_label("keeps working for 1 hour").check()
    developer.get_by_role("button", name="Rotate secret").click()
    new_secret = copy_from(developer, "client-secret")
    developer.goto(app_page)
    assert developer.locator("#current-secret-use").inner_text() == "last used never since the rotation"

    # The app still signs with the old secret: its use shows as the previous secret's.
    assert products(live_server, client_key, old_secret, token) == 200
    developer.reload()
    previous_use = developer.locator("#previous-secret-use").inner_text()
    assert previous_use.startswith("works until") and "last used 20" in previous_use

    # Rotating again now would end it: the rotate page says so, and until when it would have worked.
    developer.get_by_role("link", name="Rotate secret").click()
    warning = developer.locator("#overlap-ends")
    assert warning.is_visible() and "would have worked until 20" in warning.inner_text()
    assert_accessible(developer, "the rotate page with its warning")
    developer.get_by_role("link", name="Cancel").click()

    # The debugger agrees with the server: the old secret matches (as the previous one)...
    url = f"{live_server.url}/v2/products"
    signer = Client(client_key, client_secret=old_secret, resource_owner_key=token[0], resource_owner_secret=token[1])
    _, headers, _ = signer.sign(url, "GET")
    verdict = debug(developer, url, headers["Authorization"])
    assert "The signatures match. Made with the previous secret, which the server accepts until 20" in verdict
    assert_accessible(developer, "the debugger's verdict")
    # ...and a request signed two hours ago matches but would be refused, in the server's words.
    stale = Client(client_key, client_secret=new_secret, resource_owner_key=token[0], resource_owner_secret=token[1],
                   timestamp=str(int(time.time()) - 7200))
    _, headers, _ = stale.sign(url, "GET")
    verdict = debug(developer, url, headers["Authorization"])
    assert "The signatures match." in verdict
    assert "The server would refuse this request even so" in verdict and "more than 10 minutes" in verdict

    # Expire the previous secret now: asked first, then it stops on the next request.
    developer.goto(app_page)
    developer.get_by_role("link", name="Expire the previous secret now").click()
    developer.get_by_role("heading", name="Expire the previous secret").wait_for()
    assert_accessible(developer, "the expire-now confirmation")
    assert products(live_server, client_key, old_secret, token) == 200  # asking changed nothing
    developer.get_by_role("button", name="Expire the previous secret").click()
    developer.get_by_text("The previous secret no longer works").wait_for()
    assert developer.locator("#previous-secret-use").count() == 0
    assert products(live_server, client_key, old_secret, token) == 401
    assert products(live_server, client_key, new_secret, token) == 200

    # The person sees the app's access in words, and when it last used it.
    person.goto("/account/apps")
    row = person.get_by_role("row", name="Photo sync")
    assert "Read your products" in row.inner_text()
    last_used = row.locator('td[data-label="Last used"]').inner_text()
    assert last_used.startswith("20") and last_used.endswith("UTC")
    assert_accessible(person, "the authorized-apps page")


def test_a_url_the_debugger_cannot_read_is_a_form_error(new_page, live_server, settings):
    settings.DEBUG = False
    developer = new_page()
    sign_up(developer, "dana", DEVELOPER_PASSWORD)
    register_app(developer, "Broken URLs")
    developer.get_by_role("link", name="I have copied it").click()
    developer.get_by_label("URL", exact=True).fill("http://[::1/v2/products")
    developer.get_by_label("Authorization header").fill('OAuth oauth_consumer_key="x"')
    developer.get_by_role("button", name="Compute the signature").click()
    error = developer.get_by_text("This URL cannot be read")
    error.wait_for()
    assert developer.get_by_role("heading", name="Verdict").count() == 0
    assert_accessible(developer, "the debugger with a form error")
