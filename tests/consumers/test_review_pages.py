"""Review on the developer's pages (CLIENT_REVIEW): what a change sends back to staff, a rejected app's
way out, and what the home page, the guide and the apps list count as working."""
import pytest
from django.utils import timezone

from audit.models import AuditEvent
from consumers.models import ReviewStatus
from consumers.services import consumer_review, consumer_revoke, consumer_update
from tests import factories

pytestmark = pytest.mark.django_db

CALLBACK = "https://shop.example/oauth/callback"


@pytest.fixture
def review(settings):
    settings.CLIENT_REVIEW = True


@pytest.fixture
def developer(client, aladdin):
    client.force_login(aladdin)
    return client


@pytest.fixture
def approved(review, aladdin, staff):
    app = factories.make_consumer(aladdin, name="Shop sync", callback_url=CALLBACK)
    return consumer_review(consumer=app, status=ReviewStatus.APPROVED, actor=staff)


@pytest.fixture
def rejected(review, aladdin, staff):
    app = factories.make_consumer(aladdin, name="Shop sync", callback_url=CALLBACK)
    return consumer_review(consumer=app, status=ReviewStatus.REJECTED, note="Say what the app does.", actor=staff)


@pytest.fixture
def staff(db):
    return factories.make_user("reviewer", is_staff=True)


def edit(developer, app, **changes):
    fields = {"name": app.name, "description": app.description, "website": app.website,
              "callback_url": app.callback_url, **changes}
    return developer.post(f"/apps/{app.pk}/edit", fields)


def updated_events(app):
    return AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_UPDATED, subject=app.client_key)


# --- Issue 26, item 15: a renamed or redirected app is reviewed again ------------------------------------


@pytest.mark.parametrize("changes", [{"name": "Shop sync 2"}, {"callback_url": "https://elsewhere.example/cb"}])
def test_renaming_or_redirecting_an_approved_app_sends_it_back_to_review(developer, approved, changes):
    edit(developer, approved, description="Now with more sync.")  # not what users approve: no review
    approved.refresh_from_db()
    assert approved.review_status == ReviewStatus.APPROVED
    response = edit(developer, approved, **changes)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.review_status == ReviewStatus.PENDING
    event = updated_events(approved).latest("created")
    assert event.detail["review_status"] == "pending" and event.detail["previous_review_status"] == "approved"
    assert "sent to review" in developer.get(response["Location"]).content.decode()


def test_the_rule_reads_the_stored_row_and_spares_staff_and_review_off(approved, aladdin, staff, settings):
    consumer_update(consumer=approved, name="Staff's better name", callback_url=approved.callback_url, actor=staff)
    approved.refresh_from_db()
    assert approved.review_status == ReviewStatus.APPROVED  # staff editing in the admin are the review
    settings.CLIENT_REVIEW = False
    consumer_update(consumer=approved, name="Renamed without review", callback_url=CALLBACK, actor=aladdin)
    approved.refresh_from_db()
    assert approved.review_status == ReviewStatus.APPROVED
    settings.CLIENT_REVIEW = True
    approved.name = "Set by a form before the service runs"  # as the admin's form does
    consumer_update(consumer=approved, name=approved.name, callback_url=approved.callback_url, actor=aladdin)
    approved.refresh_from_db()
    assert approved.review_status == ReviewStatus.PENDING


def test_an_approved_app_renamed_is_refused_to_other_users_until_approved_again(developer, approved, alice):
    token = factories.make_request_token(approved)
    other = developer.__class__()
    other.force_login(alice)
    assert 'value="authorize"' in other.get(f"/oauth/authorize?oauth_token={token.key}").content.decode()
    edit(developer, approved, name="Something else")
    page = other.get(f"/oauth/authorize?oauth_token={token.key}").content.decode()
    assert "App not yet approved" in page and 'value="authorize"' not in page


# --- A rejected app is not a dead end --------------------------------------------------------------------


def test_a_rejected_app_says_why_and_what_to_do_and_offers_no_rotate_or_debugger(developer, rejected, settings):
    page = developer.get(f"/apps/{rejected.pk}/").content.decode()
    assert "Rejected in review" in page and "Say what the app does." in page
    assert "What to do" in page and "Edit and resubmit" in page
    assert "rotate-secret" not in page and 'id="signature-debugger"' not in page
    assert 'id="signature-debugging"' not in page
    assert developer.get(f"/apps/{rejected.pk}/rotate-secret").status_code == 404
    assert developer.post(f"/apps/{rejected.pk}/", {"method": "GET", "url": "https://x.example/"}).status_code == 404
    assert developer.post(f"/apps/{rejected.pk}/signature-debug", {"enabled": "on"}).status_code == 404
    settings.CLIENT_REVIEW = False  # then editing resubmits nothing: the way out is to ask
    page = developer.get(f"/apps/{rejected.pk}/").content.decode()
    assert "about the review" in page and "Edit and resubmit" not in page


def test_editing_a_rejected_app_resubmits_it_and_its_old_tokens_stay_ended(developer, rejected, alice, staff):
    before = factories.make_access_token(rejected, alice)
    form = developer.get(f"/apps/{rejected.pk}/edit").content.decode()
    assert "Save and resubmit" in form and "Say what the app does." in form
    response = edit(developer, rejected, description="Syncs the shop's products.")
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.review_status == ReviewStatus.PENDING
    assert "Awaiting review" in developer.get(f"/apps/{rejected.pk}/").content.decode()
    event = updated_events(rejected).latest("created")
    assert event.detail["previous_review_status"] == "rejected"
    consumer_review(consumer=rejected, status=ReviewStatus.APPROVED, actor=staff)
    before.refresh_from_db()
    assert before.revoked_at is not None


# --- What counts as working ------------------------------------------------------------------------------


def test_the_home_page_does_not_count_a_rejected_app_as_active(developer, aladdin, rejected):
    working = factories.make_consumer(aladdin, name="Working app")
    page = developer.get("/").content.decode()
    assert "You have 1 active app:" in page and working.name in page
    assert f'href="/apps/{rejected.pk}/"' not in page


def test_the_guide_never_fills_in_a_rejected_or_revoked_key(developer, aladdin, rejected):
    revoked = consumer_revoke(consumer=factories.make_consumer(aladdin, scopes="products:read"))
    page = developer.get("/docs/authentication").content.decode()
    assert rejected.client_key not in page and revoked.client_key not in page
    assert "YOUR_CLIENT_KEY" in page
    working = factories.make_consumer(aladdin, scopes="account:read")
    assert working.client_key in developer.get("/docs/authentication").content.decode()


def test_revoked_apps_come_after_live_ones(developer, aladdin):
    old_revoked = consumer_revoke(consumer=factories.make_consumer(aladdin, name="Old revoked"))
    live = factories.make_consumer(aladdin, name="Older live")
    live.created = timezone.now() - timezone.timedelta(days=30)
    live.save(update_fields=["created"])
    newest_revoked = consumer_revoke(consumer=factories.make_consumer(aladdin, name="New revoked"))
    page = developer.get("/apps/").content.decode()
    order = sorted([live, newest_revoked, old_revoked], key=lambda app: page.index(f'href="/apps/{app.pk}/"'))
    assert order == [live, newest_revoked, old_revoked]
