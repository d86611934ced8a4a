"""Every page fits a phone without sideways scrolling, and every form field has a label."""
import pytest

from accounts.services import account_charge, account_suspend
from tests import factories
from tests.pages.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "layout pass phrase 5"
FIELDS = "input:not([type=hidden]):not([type=submit]), textarea, select"


def test_pages_fit_a_phone_and_label_every_field(new_page):
    developer = factories.make_user("devon", password=PASSWORD)
    app = factories.make_consumer(developer, name="A rather long application name for wrapping",
                                  callback_url="https://example.com/a/very/long/callback/path/that/wraps")
    account_charge(user=developer, amount="12.00", description="Usage")
    account_suspend(user=developer, reason="billing")
    page = new_page(width=390, height=844)

    anonymous = ["/", "/signup", "/login", "/contact", "/docs/authentication"]
    signed_in = ["/", "/apps/", "/apps/new", f"/apps/{app.pk}/", f"/apps/{app.pk}/edit",
                 f"/apps/{app.pk}/revoke", "/account/password", "/account/apps", "/billing",
                 "/docs/authentication"]
    for index, path in enumerate(anonymous + signed_in):
        if index == len(anonymous):
            sign_in(page, "devon", PASSWORD)
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        unlabelled = page.locator(FIELDS).evaluate_all(
            "fields => fields.filter(f => !f.labels.length && !f.getAttribute('aria-label'))"
            ".map(f => f.name || f.id)")
        assert not unlabelled, f"{path} has fields without a label: {unlabelled}"
