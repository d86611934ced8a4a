"""Production error pages (DEBUG off, as in the tests): the site's own, each with a way back, no debug
hint; API URLs keep answering JSON in the contract's shape."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from apiproject import error_views

pytestmark = pytest.mark.django_db

DEBUG_HINT = "DEBUG"


def assert_our_page(response, status, words):
    page = response.content.decode()
    assert response.status_code == status
    assert words in page and 'href="/"' in page and "/static/site.css" in page
    assert DEBUG_HINT not in page


def test_404_is_our_page(client):
    assert_our_page(client.get("/no/such/page"), 404, "There is no page here")


def test_404_under_the_api_stays_json(client):
    response = client.get("/v2/no/such/thing")
    assert response.status_code == 404 and response.json()["status"] == 404


@pytest.mark.parametrize("handler, status, words", [
    (error_views.bad_request, 400, "We could not understand that request"),
    (error_views.permission_denied, 403, "You cannot open this page"),
])
def test_400_and_403_are_our_pages(rf, handler, status, words):
    request = rf.get("/somewhere")
    request.user = AnonymousUser()
    assert_our_page(handler(request, Exception()), status, words)


def test_500_is_our_page_rendered_without_the_request():
    response = error_views.server_error(RequestFactory().get("/apps/"))
    assert_our_page(response, 500, "Something went wrong on our side")
    assert "Sign in" not in response.content.decode()  # no user-dependent menu when things broke


def test_500_under_the_api_stays_json():
    response = error_views.server_error(RequestFactory().get("/v2/products"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"


def test_a_stale_consent_form_gets_our_csrf_page_with_the_way_back(aladdin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(aladdin)
    response = browser.post("/oauth/authorize", {"oauth_token": "abc", "decision": "authorize",
                                                 "csrfmiddlewaretoken": "stale"})
    assert_our_page(response, 403, "This page had expired")
    assert 'href="/oauth/authorize?oauth_token=abc"' in response.content.decode()


def test_favicon(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.svg"
    assert client.get("/static/favicon.svg").status_code == 200
