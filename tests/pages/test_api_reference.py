"""The API reference (/docs/api, Swagger UI) in Debian's chromium: "Try it out" before Authorize gets a
401 the browser does not answer with its own login box, the Authorize dialog offers only schemes that
work and has no critical or serious axe violation our script can prevent, and the page wears the site's
header and footer. Screenshots at both widths go to the test's tmp output."""
import json

import pytest

from tests import factories
from tests.pages.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
# Swagger UI's own markup, which only Swagger UI can change: its dialog is no landmark (region) and its
# scheme headings are h4 under an h3 in some versions (heading-order). Both moderate.
SWAGGER_ONLY = {"region", "heading-order"}


def open_reference(page):
    page.goto("/docs/api")
    page.locator(".opblock-summary").first.wait_for()  # Swagger UI drew the operations from the schema


def test_try_it_out_before_authorize_gets_no_challenge_the_browser_answers_then_works_after(new_page, aladdin,
                                                                                             aladdin_key, password):
    page = new_page()
    open_reference(page)
    page.locator(".opblock-get .opblock-summary", has_text="/v2/products").first.click()
    page.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda response: "/v2/products" in response.url) as answered:
        page.get_by_role("button", name="Execute").click()
    response = answered.value
    assert response.status == 401
    challenges = response.headers["www-authenticate"]
    # Chromium answers `Basic` (and Digest, NTLM, Negotiate) with its login box; these it does not know.
    assert not [part for part in challenges.split(", ") if part.split(" ")[0].lower() == "basic"], challenges
    assert 'X-Basic realm="api"' in challenges and 'Bearer realm="api"' in challenges
    assert json.loads(page.locator(".live-responses-table .response-col_description pre").first.inner_text())[
        "status"] == 401  # the page shows the answer instead of hanging

    page.locator(".auth-wrapper .authorize").click()  # then Authorize, with HTTP Basic and the client key
    basic = page.locator(".modal-ux .auth-container").filter(has_text="basicAuth")
    basic.locator("input").nth(0).fill("Aladdin")
    basic.locator("input").nth(1).fill(password)
    basic.get_by_role("button", name="Authorize").click()
    header_key = page.locator(".modal-ux .auth-container").filter(has_text="clientKeyHeader")
    header_key.locator("input").fill(aladdin_key.client_key)
    header_key.get_by_role("button", name="Authorize").click()
    page.locator(".modal-ux-header").get_by_role("button", name="Close").click()
    with page.expect_response(lambda response: "/v2/products" in response.url) as answered:
        page.get_by_role("button", name="Execute").click()
    assert answered.value.status == 200


def test_authorize_lists_only_schemes_that_work_and_the_dialog_passes_axe(new_page, tmp_path):
    page = new_page(*WIDTHS["desktop"])
    open_reference(page)
    page.locator(".auth-wrapper .authorize").click()
    page.locator(".modal-ux .auth-container").first.wait_for()
    schemes = [" ".join(text.split()) for text in page.locator(".modal-ux .auth-container h4").all_inner_texts()]
    assert schemes == ["basicAuth (http, Basic)", "clientKeyHeader (apiKey)", "clientKeyQuery (apiKey)",
                       "oauth2 (OAuth2, authorizationCode)", "oauth2 (OAuth2, clientCredentials)"]
    violations = axe_violations(page)
    page.screenshot(path=tmp_path / "docs-api-authorize-1280.png")
    totals = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .map(violation => [violation.id, violation.impact, violation.nodes.length])""")
    print(f"axe with the Authorize dialog open (rule, impact, nodes): {totals}; "
          f"screenshot: {tmp_path}/docs-api-authorize-1280.png")
    assert not [violation for violation in violations if violation["id"] not in SWAGGER_ONLY], violations
    page.locator(".modal-ux-header").get_by_role("button", name="Close").click()  # the icon has a name now
    assert page.locator(".modal-ux").count() == 0


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_reference_has_the_sites_header_and_footer(new_page, width, tmp_path):
    factories.make_user("devon", password="reference pass phrase 1")
    page = new_page(*WIDTHS[width])
    sign_in(page, "devon", "reference pass phrase 1")
    open_reference(page)
    header = page.locator("header.site-header nav[aria-label=Site]")
    assert header.get_by_role("link", name="Your apps").count() == 1  # the signed-in header of every page
    assert header.get_by_role("link", name="Billing").count() == 1
    assert header.get_by_role("button", name="Sign out").count() == 1
    footer = page.locator("footer.site-footer")
    assert footer.get_by_role("link", name="Service status").count() == 1
    assert footer.evaluate("element => getComputedStyle(element).fontFamily").startswith("system-ui")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    assert axe_violations(page) == []
    page.screenshot(path=tmp_path / f"docs-api-{WIDTHS[width][0]}.png", full_page=True)
    print(f"screenshot: {tmp_path}/docs-api-{WIDTHS[width][0]}.png")
