"""Fixtures for the page tests: a headless Debian chromium driven by Playwright, and page helpers."""
import json
import os
import shutil
from pathlib import Path

import pytest

from tests import factories

CHROMIUM = "/usr/bin/chromium"
# axe-core from npm (package-lock.json; `make test` runs `npm ci` when it is missing).
AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's chromium with Playwright")


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module. Missing chromium fails under CI (never a silent skip there).

    Playwright's sync API keeps an event loop running in this thread while it is open, so Django's
    async-safety guard would refuse the tests' (plain synchronous) ORM calls and database flushes.
    The guard is lifted only while the browser lives: other modules' subprocesses never see it.
    """
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"{CHROMIUM} is missing: apt-get install -y chromium (make test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages, each in its own context (its own cookies: one per person in a test)."""
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height},
            permissions=["clipboard-read", "clipboard-write"],
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def staff_user(db):
    return factories.make_user("staffer", password="staff password 1", is_staff=True, is_superuser=True)


def sign_in(page, username, password):
    """Sign in through the sign-in page like a person, landing on the home page."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_up(page, username, password, email=None):
    """Fill the signup form like a person; the new account is signed in afterwards."""
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(email or f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")


def register_app(page, name, callback_url="", scopes=None):
    """Register an app through the form; returns (client key, client secret) copied from the page."""
    page.goto("/apps/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Description", exact=True).fill(f"{name}, registered by a browser test.")
    page.get_by_label("Website", exact=True).fill("https://example.com/app")
    page.get_by_label("Callback URL", exact=True).fill(callback_url)
    if scopes is not None:
        for checkbox in page.locator("input[name=scopes]").all():
            checkbox.set_checked(checkbox.get_attribute("value") in scopes)
    page.get_by_role("button", name="Register app").click()
    page.get_by_text("Copy the client secret now").wait_for()
    return copy_from(page, "client-key"), copy_from(page, "client-secret")


def copy_from(page, element_id):
    """Press the Copy button next to an element and read the clipboard, as a person would paste it."""
    page.locator(f"button[data-copy='{element_id}']").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(f"#{element_id}").inner_text().strip()
    return copied


def admin_login(page, user, password):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def admin_action(page, action, *pks):
    """On an admin list: tick the rows of `pks`, choose `action` and press Go (its page may ask first)."""
    for pk in pks:
        page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def pick_in_autocomplete(page, field, text, choice):
    """Django admin's autocomplete (select2) for `field`: type `text`, pick the result `choice`."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=choice).click()


def axe_violations(page):
    """axe-core's violations on the page as it is now, each with the first elements at fault."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci (make test does it)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's devtools, not as a <script> in the page: the page's
        # Content-Security-Policy allows no inline script (and should not, for a test's sake).
        page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => ({id: v.id, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""")


def assert_accessible(page, label=None):
    """Any axe-core violation on the page fails, listed with the elements at fault."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {label or page.url}:\n{json.dumps(violations, indent=1)}"
