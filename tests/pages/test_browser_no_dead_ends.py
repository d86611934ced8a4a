"""Developers and end users in Debian's chromium (Playwright), at 1280×800 and 390×844: a rejected app
has a way out, the debugger's answer opens at its verdict, the focus ring can be seen, a device page
after success and an OAuth 1.0a Deny say what happened, the error and status pages are the site's, and
every code block of the guide copies. Screenshots go to each test's tmp output (printed), not the repo."""
import re

import pytest
import requests
from django.test import RequestFactory
from requests_oauthlib import OAuth1Session

from apiproject import error_views
from consumers.models import ReviewStatus
from consumers.services import consumer_review, consumer_revoke
from tests import factories
from tests.pages.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "no dead ends pass phrase 4"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}


def shoot(page, tmp_path, name):
    path = tmp_path / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")


def contrast(first, second):
    """WCAG's contrast ratio of two `rgb(r, g, b)` colours."""
    def luminance(colour):
        channels = [int(value) / 255 for value in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted([luminance(first), luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def devon(db):
    return factories.make_user("devon", password=PASSWORD, email="devon@example.com")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_rejected_app_says_why_and_editing_resubmits_it(new_page, settings, devon, width, tmp_path):
    settings.CLIENT_REVIEW = True
    staff = factories.make_user("reviewer", is_staff=True)
    working = factories.make_consumer(devon, name="Nightly export")
    consumer_review(consumer=working, status=ReviewStatus.APPROVED, actor=staff)
    consumer_revoke(consumer=factories.make_consumer(devon, name="Old experiment"))
    app = factories.make_consumer(devon, name="Photo sync")
    consumer_review(consumer=app, status=ReviewStatus.REJECTED, note="Say what the app does with photos.", actor=staff)
    page = new_page(*WIDTHS[width])
    sign_in(page, "devon", PASSWORD)

    assert "You have 1 active app:" in page.locator("main").inner_text()
    page.goto("/apps/")
    rows = page.locator("tbody tr td:first-child").all_inner_texts()
    assert rows[-1] == "Old experiment"  # revoked, so after the live ones
    shoot(page, tmp_path, "apps-list")
    page.get_by_role("link", name="Photo sync").click()
    review = page.locator("#review")
    assert "Rejected in review" in review.inner_text() and "Say what the app does with photos." in review.inner_text()
    assert page.get_by_role("link", name="Rotate secret…").count() == 0
    assert page.locator("#signature-debugger").count() == 0
    assert_accessible(page, "a rejected app")
    shoot(page, tmp_path, "app-rejected")

    page.get_by_role("link", name="Edit and resubmit").click()
    page.get_by_label("Description").fill("Prints the photos of your products, nothing else.")
    shoot(page, tmp_path, "app-edit-rejected")
    page.get_by_role("button", name="Save and resubmit").click()
    assert "sent to review" in page.locator(".messages").inner_text()
    assert "Awaiting review" in page.locator("#review").inner_text()
    app.refresh_from_db()
    assert app.review_status == ReviewStatus.PENDING


def test_on_a_phone_the_debugger_opens_at_its_verdict(new_page, devon, tmp_path):
    app = factories.make_consumer(devon, name="Photo sync")
    page = new_page(*WIDTHS["phone"])
    sign_in(page, "devon", PASSWORD)
    page.goto(f"/apps/{app.pk}/")
    page.get_by_label("URL", exact=True).fill("https://api.example/v2/products?page=2")
    page.get_by_label("Authorization header").fill(
        f'OAuth oauth_consumer_key="{app.client_key}", oauth_nonce="abc", oauth_signature="x", '
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1700000000", oauth_version="1.0"')
    page.get_by_role("button", name="Compute the signature").click()
    page.wait_for_load_state()
    assert page.url.endswith("#verdict")
    verdict = page.locator("#verdict")
    box = verdict.bounding_box()
    assert 0 <= box["y"] < WIDTHS["phone"][1] / 3, box  # at the top of the screen, not three screens down
    assert "The signatures differ." in page.locator("#verdict + .notice").inner_text()
    assert "more than 10 minutes away" in page.locator("#debug-server-refusals").inner_text()  # signed in 2023
    assert_accessible(page, "the debugger's verdict with what the server would refuse")
    page.screenshot(path=tmp_path / "debugger-verdict-390.png")  # what the phone shows: the viewport
    print(f"screenshot: {tmp_path / 'debugger-verdict-390.png'}")


RING_PLACES = {
    "a link on a white table": "main table a",
    "a link on the page's wash": "main > p a",
    "a button": "main .actions .button",
    "the header's link": ".site-header a.brand",
    "the footer's link": ".site-footer a",
}


def test_the_focus_ring_has_three_to_one_contrast_wherever_it_is_drawn(new_page, devon):
    factories.make_consumer(devon, name="Photo sync")
    page = new_page()
    sign_in(page, "devon", PASSWORD)
    page.goto("/apps/")
    contrasts = {}
    for where, selector in RING_PLACES.items():
        target = page.locator(selector).first
        target.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # by keyboard, so :focus-visible applies
        assert target.evaluate("element => getComputedStyle(element).outlineStyle") == "solid", where
        ring = target.evaluate("element => getComputedStyle(element).outlineColor")
        # What is behind the ring: the nearest ancestor with a background of its own.
        behind = target.evaluate("""element => {
            for (let node = element.parentElement; node; node = node.parentElement) {
                const colour = getComputedStyle(node).backgroundColor;
                if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
            }
            return "rgb(255, 255, 255)";
        }""")
        contrasts[where] = (round(contrast(ring, behind), 2), ring, behind)
    print(f"focus ring contrasts: {contrasts}")
    assert all(ratio >= 3 for ratio, _, _ in contrasts.values()), contrasts


def test_after_a_device_is_connected_the_page_shows_the_banner_and_no_empty_form(new_page, live_server, devon,
                                                                                 tmp_path):
    app = factories.make_consumer(devon, name="Living-room TV")
    factories.make_user("erin", password=PASSWORD)
    codes = requests.post(f"{live_server.url}/oauth2/device_authorization",
                          data={"client_id": app.client_key, "client_secret": app.client_secret}, timeout=10).json()
    page = new_page(*WIDTHS["phone"])
    sign_in(page, "erin", PASSWORD)
    page.goto("/oauth2/device")
    page.get_by_label("Code").fill(codes["user_code"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Authorize").click()
    assert "is connected to your account" in page.locator(".messages").inner_text()
    assert page.get_by_label("Code").count() == 0 and page.get_by_role("button", name="Continue").count() == 0
    assert_accessible(page, "the device page after success")
    shoot(page, tmp_path, "device-connected")
    page.get_by_role("link", name="Connect another device").click()
    assert page.get_by_label("Code").count() == 1  # and a fresh visit has its form


def test_an_oauth1_deny_tells_the_app_and_the_person(new_page, live_server, devon, tmp_path):
    app = factories.make_consumer(devon, name="Photo sync", callback_url=f"{live_server.url}/cb")
    factories.make_user("erin", password=PASSWORD)
    page = new_page()
    sign_in(page, "erin", PASSWORD)
    redirecting = OAuth1Session(app.client_key, client_secret=app.client_secret,
                                callback_uri=f"{live_server.url}/cb/done")
    request_token = redirecting.fetch_request_token(f"{live_server.url}/oauth/request_token")["oauth_token"]
    page.goto(redirecting.authorization_url(f"{live_server.url}/oauth/authorize"))
    page.get_by_role("button", name="Deny").click()
    page.wait_for_url("**/cb/done?**")
    assert f"denied={request_token}" in page.url

    out_of_band = OAuth1Session(app.client_key, client_secret=app.client_secret, callback_uri="oob")
    out_of_band.fetch_request_token(f"{live_server.url}/oauth/request_token")
    page.goto(out_of_band.authorization_url(f"{live_server.url}/oauth/authorize"))
    page.get_by_role("button", name="Deny").click()
    assert page.get_by_role("heading", name="You denied Photo sync access").count() == 1
    shoot(page, tmp_path, "oauth-denied-oob")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_unknown_host_gets_the_styled_400_page(new_page, live_server, settings, width, tmp_path):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]  # the live server answers as localhost: a host it does not serve
    page = new_page(*WIDTHS[width])
    failures, problems, fetched = [], [], []
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("request", lambda request: fetched.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    response = page.goto(live_server.url + "/anything")
    assert response.status == 400
    assert page.get_by_role("heading", name="We could not understand that request").count() == 1
    header = page.locator(".site-header").evaluate("element => getComputedStyle(element).backgroundColor")
    assert header == "rgb(29, 36, 48)"  # the site's stylesheet applies, from the page itself
    # Nothing else was fetched from the host (it would be refused too); the one console line is the page's 400.
    assert fetched == [live_server.url + "/anything"] and not failures, (fetched, failures)
    assert all("status of 400" in problem for problem in problems) and len(problems) <= 1, problems
    shoot(page, tmp_path, "error-400-unknown-host")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_footers_service_status_is_a_page_for_people(new_page, devon, width, tmp_path):
    page = new_page(*WIDTHS[width])
    sign_in(page, "devon", PASSWORD)
    nav = page.locator("nav[aria-label=Site]")
    nav.get_by_role("link", name="Billing").click()
    page.wait_for_url("**/billing")
    page.locator("footer").get_by_role("link", name="Service status").click()
    page.wait_for_url("**/docs/status")
    assert page.get_by_role("heading", name="Service status").count() == 1
    assert nav.get_by_role("button", name="Sign out").count() == 1  # still the signed-in header
    assert "All systems are working." in page.locator("#service-status").inner_text()
    assert page.locator("table").inner_text().count("working") == 2
    assert_accessible(page, "the service status page")
    shoot(page, tmp_path, "service-status")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_code_block_of_the_guide_has_a_copy_button(new_page, devon, width, tmp_path):
    factories.make_consumer(devon, name="Photo sync")
    page = new_page(*WIDTHS[width])
    sign_in(page, "devon", PASSWORD)
    page.goto("/docs/authentication")
    blocks = page.locator("main pre > code")
    assert blocks.count() >= 30
    uncopyable = page.evaluate("""() => [...document.querySelectorAll("main pre > code")].filter(code =>
        ![code, ...code.querySelectorAll("[id]")].some(t => t.id && document.querySelector(`[data-copy="${t.id}"]`))
    ).map(code => code.textContent.slice(0, 60))""")
    assert uncopyable == []
    error_block = page.locator("#bad-credentials").locator("xpath=preceding-sibling::pre[1]/code")
    page.locator(f"button[data-copy='{error_block.get_attribute('id')}']").click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("// HTTP 401")
    assert_accessible(page, "the guide with its copy buttons")
    shoot(page, tmp_path, "docs-authentication")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_changed_page_passes_axe_and_is_photographed(new_page, live_server, settings, devon, width, tmp_path):
    """The pages this round changed, with axe over each, shot at both widths into this test's tmp output."""
    settings.CLIENT_REVIEW = True
    staff = factories.make_user("reviewer", is_staff=True)
    live = factories.make_consumer(devon, name="Nightly export", callback_url=f"{live_server.url}/cb")
    consumer_review(consumer=live, status=ReviewStatus.APPROVED, actor=staff)
    consumer_revoke(consumer=factories.make_consumer(devon, name="Old experiment"))
    rejected = factories.make_consumer(devon, name="Photo sync")
    consumer_review(consumer=rejected, status=ReviewStatus.REJECTED, note="Say what the app does.", actor=staff)
    page = new_page(*WIDTHS[width])
    sign_in(page, "devon", PASSWORD)
    for name, path in [("home", "/"), ("apps-list", "/apps/"), ("app-rejected", f"/apps/{rejected.pk}/"),
                       ("app-edit-rejected", f"/apps/{rejected.pk}/edit"),
                       ("app-edit-approved", f"/apps/{live.pk}/edit"),
                       ("service-status", "/docs/status"), ("docs-authentication", "/docs/authentication")]:
        page.goto(path)
        assert_accessible(page, path)
        shoot(page, tmp_path, name)
    page.goto(f"/apps/{live.pk}/")
    page.get_by_label("URL", exact=True).fill(f"{live_server.url}/v2/products")
    page.get_by_role("button", name="Compute the signature").click()
    page.locator("#verdict").wait_for()
    assert_accessible(page, "the debugger's verdict")
    shoot(page, tmp_path, "app-debugger-verdict")

    page.goto("/")  # the 500 page as the browser shows it: rendered without a request, on this site
    page.set_content(error_views.server_error(RequestFactory().get("/apps/")).content.decode())
    assert_accessible(page, "the 500 page")
    shoot(page, tmp_path, "error-500")

    person = new_page(*WIDTHS[width])
    factories.make_user("erin", password=PASSWORD)
    sign_in(person, "erin", PASSWORD)
    client = OAuth1Session(live.client_key, client_secret=live.client_secret, callback_uri="oob")
    client.fetch_request_token(f"{live_server.url}/oauth/request_token")
    person.goto(client.authorization_url(f"{live_server.url}/oauth/authorize"))
    person.get_by_role("button", name="Deny").click()
    assert_accessible(person, "denied")
    shoot(person, tmp_path, "oauth-denied-oob")
    codes = requests.post(f"{live_server.url}/oauth2/device_authorization",
                          data={"client_id": live.client_key, "client_secret": live.client_secret}, timeout=10).json()
    person.goto(codes["verification_uri_complete"])
    person.get_by_role("button", name="Continue").click()
    person.get_by_role("button", name="Authorize").click()
    person.get_by_role("link", name="Connect another device").wait_for()
    assert_accessible(person, "the device page after success")
    shoot(person, tmp_path, "device-connected")

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    stranger = new_page(*WIDTHS[width])
    stranger.goto(live_server.url + "/anything")
    assert_accessible(stranger, "the 400 page for an unknown host")
    shoot(stranger, tmp_path, "error-400-unknown-host")
