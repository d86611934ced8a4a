"""Every HTML page carries the Content-Security-Policy; pages that show keys or secrets are no-store."""
import pytest
from django.conf import settings as django_settings

from tests import factories
from tests.pages.conftest import admin_login, sign_in

HTML_PAGES = ["/", "/login", "/signup", "/contact", "/billing", "/docs/authentication", "/docs/api",
              "/apps/", "/apps/new", "/account/apps", "/account/password", "/admin/login/", "/admin/",
              "/admin/consumers/consumer/", "/no-such-page"]


@pytest.fixture
def staff_client(client, db):
    staff = factories.make_user("staffer", password="staff password 1", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_carries_the_policy(staff_client, path):
    response = staff_client.get(path)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == django_settings.CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_authorize_page_and_a_refused_request_carry_the_policy(client, alice, app):
    client.force_login(alice)
    request_token = factories.make_request_token(app)
    page = client.get(f"/oauth/authorize?oauth_token={request_token.key}")
    assert page.status_code == 200 and "Content-Security-Policy" in page
    refused = client.get("/login", HTTP_HOST="attacker.example")
    assert refused.status_code == 400 and "Content-Security-Policy" in refused


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_pages_that_show_keys_or_secrets_are_no_store(client, aladdin, aladdin_key, alice, app):
    client.force_login(aladdin)
    pk = aladdin_key.pk
    for path in ["/apps/", f"/apps/{pk}/", f"/apps/{pk}/edit", f"/apps/{pk}/rotate-secret", f"/apps/{pk}/revoke",
                 f"/apps/{pk}/secret", "/apps/new", "/account/apps", "/docs/authentication"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path
    client.force_login(alice)
    request_token = factories.make_request_token(app)
    assert no_store(client.get(f"/oauth/authorize?oauth_token={request_token.key}"))
    verifier_page = client.post("/oauth/authorize", {"oauth_token": request_token.key, "decision": "authorize"})
    assert b"oauth-verifier" in verifier_page.content and no_store(verifier_page)


@pytest.mark.django_db
def test_the_public_guide_may_be_cached(client):
    """Signed out it shows placeholders only: no key, nothing to keep from the cache."""
    assert not no_store(client.get("/docs/authentication"))


# --- In chromium: the pages still work under the policy ------------------------------------------------


def _watch_csp(page):
    """Every CSP violation the page reports, from the console and from the DOM event."""
    seen = []
    page.on("console", lambda message: seen.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                         "'Content-Security-Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return seen


@pytest.mark.browser
@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_policy_in_chromium(new_page, live_server, alice):
    developer = factories.make_user("developer-csp", password="developer password 1")
    app = factories.make_consumer(developer, name="Printer", callback_url=factories.CALLBACK)
    staff = factories.make_user("staffer", password="staff password 1", is_staff=True, is_superuser=True)

    page = new_page()
    violations = _watch_csp(page)
    page.goto("/docs/api")
    page.locator(".opblock-summary").first.wait_for()  # Swagger UI drew the operations from the schema
    assert page.locator(".opblock").count() >= 5
    page.locator(".opblock-summary").first.click()  # and it reacts
    page.locator(".opblock-body").first.wait_for()
    for path in ["/", "/docs/authentication", "/signup", "/contact"]:
        page.goto(path)
    sign_in(page, "developer-csp", "developer password 1")
    for path in ["/apps/", f"/apps/{app.pk}/", "/account/apps"]:
        page.goto(path)
    page.goto(f"/apps/{app.pk}/")
    page.locator("button[data-copy='client-key']").first.click()  # copy.js runs
    assert page.evaluate("navigator.clipboard.readText()") == app.client_key

    consent = new_page()
    violations += _watch_csp(consent)
    sign_in(consent, "alice", factories.ALICE_PASSWORD)
    request_token = factories.make_request_token(app, callback="oob")
    consent.goto(f"/oauth/authorize?oauth_token={request_token.key}")
    consent.get_by_role("button", name="Authorize").click()
    consent.locator("#oauth-verifier").wait_for()

    admin = new_page()
    violations += _watch_csp(admin)
    admin_login(admin, staff, "staff password 1")
    for path in ["/admin/", "/admin/consumers/consumer/", f"/admin/consumers/consumer/{app.pk}/change/",
                 "/admin/auth/user/", "/admin/auth/user/add/"]:
        admin.goto(path)
    admin.goto("/admin/consumers/consumer/")
    admin.locator("#action-toggle").check()  # the admin's own scripts run (select all)
    assert admin.locator("input.action-select:checked").count() >= 1
    assert violations == []
