"""Staff in the admin, in Debian's chromium at 1280×800 and 390×844: Disable and Revoke ask first and take
a reason, seen in the audit trail from → to; the client list at a glance; the secrets page on a phone
with its Copy buttons; a charge found by username; and axe-core over the admin pages staff use daily.
Screenshots of each changed page go to the test's tmp output (`screenshots/`)."""
import json
import re

import pytest
import requests
from django.utils import timezone

from accounts.services import account_charge, account_suspend
from audit.models import AuditEvent
from consumers.models import Consumer
from tests import factories
from tests.pages.conftest import (
    AXE,
    admin_action,
    admin_login,
    copy_from,
    pick_in_autocomplete,
)

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
STAFF_PASSWORD = "staff password 1"
PASSWORD = "developer pass phrase 7"
SERIOUS = ("critical", "serious")


@pytest.fixture
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def shoot(page, screenshots, name, size):
    page.screenshot(path=screenshots / f"{name}-{size}.png", full_page=True)


def impacts(page):
    """axe-core's violations here, each with its impact and the first elements at fault."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # by the devtools, not a <script>: the CSP allows none inline
    return page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
            at: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")


def no_serious_violation(page, label):
    serious = [v for v in impacts(page) if v["impact"] in SERIOUS]
    assert not serious, f"axe-core on {label}:\n{json.dumps(serious, indent=1)}"


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


@pytest.mark.parametrize("size", list(SIZES))
def test_staff_disable_and_revoke_ask_first_and_the_audit_trail_says_from_what_to_what(
        new_page, live_server, staff_user, screenshots, size):
    erin = factories.make_user("erin", password=PASSWORD)
    app = factories.make_consumer(erin, name="Erin's exporter")
    devon = factories.make_user("devon", password=PASSWORD)
    tool = factories.make_consumer(devon, name="Devon's tool")

    def api(user, client):
        return requests.get(f"{live_server.url}/v2", auth=(user, PASSWORD), timeout=10,
                            headers={"X-Client-Key": client.client_key}).json().get("message")

    assert api("erin", app) is None and api("devon", tool) is None
    staff = new_page(*SIZES[size])
    admin_login(staff, staff_user, STAFF_PASSWORD)

    staff.goto("/admin/auth/user/")
    admin_action(staff, "disable_for_terms_violation", erin.pk)
    staff.get_by_text("erin: API access active, owes nothing").wait_for()
    assert api("erin", app) is None  # asked, not done
    assert staff.get_by_label("Reason").evaluate("field => field.required")  # a reason, always
    no_serious_violation(staff, "disable, asked for a reason")
    fits(staff, SIZES[size][0])
    shoot(staff, screenshots, "admin-disable-asks", size)
    staff.get_by_label("Reason").fill("Resold API access to third parties")
    staff.get_by_role("button", name="Disable API access").click()
    staff.get_by_text("1 account disabled.").wait_for()
    assert api("erin", app) == "API Access is disabled"

    staff.goto("/admin/consumers/consumer/")
    admin_action(staff, "revoke_clients", tool.pk)
    staff.get_by_text(f"Devon's tool ({tool.client_key}), by devon: approved").wait_for()
    no_serious_violation(staff, "revoke, asked")
    fits(staff, SIZES[size][0])
    shoot(staff, screenshots, "admin-revoke-asks", size)
    staff.get_by_label("Reason (optional)").fill("Its key leaked in a public repository")
    staff.get_by_role("button", name="Revoke").click()
    staff.get_by_text("1 client revoked.").wait_for()
    assert api("devon", tool) == "Invalid client key"

    staff.goto("/admin/audit/auditevent/")
    disabled = staff.locator("#result_list tr", has_text="Resold API access to third parties")
    assert disabled.locator(".field-change").inner_text() == "active → disabled"
    assert disabled.locator(".field-about").inner_text() == "erin"
    assert disabled.locator(".field-actor").inner_text() == "staffer"
    revoked = staff.locator("#result_list tr", has_text="Client revoked")
    assert revoked.locator(".field-change").inner_text() == "active → revoked"
    assert "Its key leaked in a public repository" in revoked.inner_text()
    assert revoked.locator(".field-about").inner_text() == f"Devon's tool ({tool.client_key})"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", revoked.locator(".field-created").inner_text())
    no_serious_violation(staff, "audit list")
    shoot(staff, screenshots, "admin-audit-list", size)


def test_the_client_list_shows_review_active_and_last_used_without_an_inner_scrollbar(
        new_page, staff_user, screenshots):
    for number in range(3):
        owner = factories.make_user(f"developer-with-a-long-name-{number}@example.com")
        app = factories.make_consumer(owner, name=f"An integration with a rather long name, number {number}")
        Consumer.objects.filter(pk=app.pk).update(last_used=timezone.now())
    staff = new_page(*SIZES["desktop"])
    admin_login(staff, staff_user, STAFF_PASSWORD)
    staff.goto("/admin/consumers/consumer/")
    shoot(staff, screenshots, "admin-client-list", "desktop")
    results = staff.locator("#changelist .results")
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth"), "an inner scrollbar"
    for header in ("Review status", "Active", "Last used"):
        box = staff.get_by_role("columnheader", name=header).bounding_box()
        assert box and box["x"] + box["width"] <= SIZES["desktop"][0], f"{header} is out of sight"
    phone = new_page(*SIZES["phone"])
    admin_login(phone, staff_user, STAFF_PASSWORD)
    phone.goto("/admin/consumers/consumer/")
    shoot(phone, screenshots, "admin-client-list", "phone")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_secrets_page_fits_a_phone_and_copies(new_page, staff_user, screenshots, size):
    app = factories.make_consumer(factories.make_user("devon"), name="Photo sync")
    staff = new_page(*SIZES[size])
    admin_login(staff, staff_user, STAFF_PASSWORD)
    staff.goto("/admin/consumers/consumer/")
    admin_action(staff, "rotate_client_secrets", app.pk)
    staff.get_by_label("keeps working for 24 hours").check()
    no_serious_violation(staff, "rotate, asked")
    staff.get_by_role("button", name="Rotate").click()
    staff.get_by_text("The previous secret keeps working until").wait_for()
    fits(staff, SIZES[size][0])
    no_serious_violation(staff, "the secrets page")
    shoot(staff, screenshots, "admin-secrets", size)
    assert copy_from(staff, f"client-secret-{app.pk}") == Consumer.objects.get(pk=app.pk).client_secret
    assert copy_from(staff, f"client-key-{app.pk}") == app.client_key


def test_a_charge_is_added_for_a_user_found_by_username(new_page, staff_user, screenshots):
    lockie = factories.make_user("lockie")
    factories.make_user("lola")
    for size, (width, height) in SIZES.items():
        staff = new_page(width, height)
        admin_login(staff, staff_user, STAFF_PASSWORD)
        staff.goto("/admin/accounts/balanceentry/add/")
        pick_in_autocomplete(staff, "user", "loc", "lockie")
        staff.get_by_label("Kind").select_option(label="Charge")
        staff.get_by_label("Amount").fill("12.50")
        no_serious_violation(staff, "adding a charge")
        shoot(staff, screenshots, "admin-add-charge", size)
        staff.get_by_role("button", name="Save", exact=True).click()
        staff.get_by_text("was added successfully").wait_for()
    assert [entry.user for entry in lockie.balance_entries.all()] == [lockie, lockie]


def test_the_admin_pages_staff_use_daily_have_no_serious_axe_violation(new_page, staff_user, screenshots):
    """Users, accounts (state, ledger), clients and the audit trail, at both sizes. Minor and moderate
    findings are printed (for the record), critical and serious ones fail."""
    devon = factories.make_user("devon", email="devon@example.com")
    app = factories.make_consumer(devon, name="Photo sync")
    account_charge(user=devon, amount="10", description="November usage")
    account_suspend(user=devon, reason="billing", changed_by=staff_user, note="Invoice 42 unpaid")
    event = AuditEvent.objects.first()
    pages = ["/admin/", "/admin/auth/user/", f"/admin/auth/user/{devon.pk}/change/",
             "/admin/accounts/balanceentry/", "/admin/accounts/balanceentry/add/", "/admin/consumers/consumer/",
             f"/admin/consumers/consumer/{app.pk}/change/", "/admin/audit/auditevent/",
             f"/admin/audit/auditevent/{event.pk}/change/"]
    found, serious = {}, {}
    for size, (width, height) in SIZES.items():
        staff = new_page(width, height)
        admin_login(staff, staff_user, STAFF_PASSWORD)
        for path in pages:
            staff.goto(path)
            violations = impacts(staff)
            found.update({f"{size} {path}": violations} if violations else {})
            serious.update({f"{size} {path}": [v for v in violations if v["impact"] in SERIOUS]}
                           if any(v["impact"] in SERIOUS for v in violations) else {})
        for name, path in [("admin-user", f"/admin/auth/user/{devon.pk}/change/"),
                           ("admin-client", f"/admin/consumers/consumer/{app.pk}/change/"),
                           ("admin-audit-event", f"/admin/audit/auditevent/{event.pk}/change/")]:
            staff.goto(path)
            shoot(staff, screenshots, name, size)
        staff.goto("/admin/auth/user/")
        admin_action(staff, "lock_for_unpaid_balance", devon.pk)
        staff.get_by_role("button", name="Lock API access").wait_for()
        violations = impacts(staff)
        found.update({f"{size} lock, asked": violations} if violations else {})
        serious.update({f"{size} lock, asked": violations} if any(v["impact"] in SERIOUS for v in violations)
                       else {})
        fits(staff, width)
        shoot(staff, screenshots, "admin-lock-asks", size)
    (screenshots / "admin-axe.json").write_text(json.dumps(found, indent=1))
    print(json.dumps(found, indent=1))
    assert not serious, json.dumps(serious, indent=1)
