"""Django's error handlers: JSON in the contract's shape for API URLs, the site's own pages elsewhere.

Each page says what happened in plain words and offers a way back; none carries a debug hint.
"""
from urllib.parse import urlencode

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from apiv2.exceptions import is_api_path, json_error_response
from apiv2.oauth2_errors import django_error_response, is_oauth2_client_endpoint


def for_clients(request, status, additional=""):
    """The JSON answer of the URLs programs call (the OAuth 2.0 client endpoints in their shape, the
    API and the OAuth 1.0a token endpoints in the guide's), or None for the pages people read."""
    if is_oauth2_client_endpoint(request.path):
        return django_error_response(status, additional)
    if is_api_path(request.path):
        return json_error_response(status, additional=additional)
    return None


def bad_request(request, exception=None):
    return for_clients(request, 400) or render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return for_clients(request, 403) or render(request, "403.html", status=403)


def not_found(request, exception=None):
    return for_clients(request, 404) or render(request, "404.html", status=404)


def server_error(request):
    """No request context: whatever broke (the database, the session) must not break this page too."""
    return for_clients(request, 500) or HttpResponseServerError(
        loader.get_template("500.html").render({"quiet_header": True}))


def csrf_failure(request, reason=""):
    """A form sent from a page that is no longer valid: typically a tab left open while the person
    signed out or in again elsewhere. The way back is the page the form came from, freshly loaded."""
    if is_api_path(request.path):
        return json_error_response(403, additional="CSRF verification failed.")
    back = request.path
    if request.path == reverse("oauth-authorize") and request.POST.get("oauth_token"):
        back = f"{back}?{urlencode({'oauth_token': request.POST['oauth_token']})}"
    if request.path == reverse("oauth2-authorize"):
        back = request.get_full_path()  # the OAuth 2.0 request lives in the consent page's query string
    return render(request, "403_csrf.html", {"back": back}, status=403)
