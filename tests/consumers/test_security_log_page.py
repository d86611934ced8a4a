"""An app's security log on its page: the changes made through the real pages and by staff's services, in
words, with "you" and the address for the developer's own; another developer's app is a 404."""
import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import AuditEvent
from consumers.models import Consumer
from consumers.services import consumer_review, consumer_secret_rotate
from tests.factories import make_consumer, make_user

OWN_IP = "198.51.100.23"
STAFF_IP = "203.0.113.7"


@pytest.fixture
def browser(developer):
    browser = Client(REMOTE_ADDR=OWN_IP)
    browser.force_login(developer)
    return browser


def log_rows(page):
    """The log's rows as (what happened, by, address), tags gone."""
    text = page.content.decode()
    table = re.search(r'<table class="stack" id="app-log">(.*?)</table>', text, re.S).group(1)
    return [tuple(html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip() for cell in cells[1:])
            for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                          for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)) if cells]


def test_the_page_shows_the_apps_changes_with_who_and_from_where(browser, app):
    assert browser.post(f"/apps/{app.pk}/rotate-secret", {"overlap": "24h"}).status_code == 302
    assert browser.post(f"/apps/{app.pk}/edit", {"name": "Printer Pro",
                                                 "callback_url": "https://printer.example.com/cb"}).status_code == 302
    staff = get_user_model().objects.create_superuser("reviewer-jo", "jo@example.com", "staff password")
    consumer_review(consumer=app, status="rejected", note="Say what it prints.", actor=staff, ip=STAFF_IP)

    page = browser.get(f"/apps/{app.pk}/")
    assert page.status_code == 200
    assert log_rows(page) == [
        ("Rejected in review", "staff", "—"),
        ("App details edited: name “Printer Pro”, callback URL https://printer.example.com/cb", "you", OWN_IP),
        ("Secret rotated; the previous one kept working for 24 hours", "you", OWN_IP),
        ("App registered", "the system", "—"),  # the fixture registers it as the command line does
    ]
    text = page.content.decode()
    assert "reviewer-jo" not in text and STAFF_IP not in text
    stored = Consumer.objects.get(pk=app.pk)
    assert stored.client_secret not in text and stored.previous_client_secret not in text


def test_another_developers_app_and_its_log_are_a_404(browser, app):
    consumer_secret_rotate(consumer=app, actor=app.user, ip=OWN_IP)
    stranger = Client(REMOTE_ADDR="192.0.2.50")
    stranger.force_login(make_user("stranger"))
    assert stranger.get(f"/apps/{app.pk}/").status_code == 404
    own = make_consumer(get_user_model().objects.get(username="stranger"), name="Stranger's app")
    page = stranger.get(f"/apps/{own.pk}/").content.decode()
    assert "Secret rotated" not in page and OWN_IP not in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_SECRET_ROTATED).count() == 1


def test_an_app_with_no_recorded_change_says_so(browser, app):
    AuditEvent.objects.all().delete()
    page = browser.get(f"/apps/{app.pk}/").content.decode()
    assert re.search(r'id="app-log">Nothing recorded yet\.<', page)


def test_a_rotation_without_overlap_says_the_old_secret_stopped_at_once(browser, app):
    consumer_secret_rotate(consumer=app, overlap=timedelta(0), actor=app.user, ip=OWN_IP)
    assert ("Secret rotated; the previous one stopped working at once", "you", OWN_IP) in log_rows(
        browser.get(f"/apps/{app.pk}/"))
