"""Django's error handlers: JSON in the contract's shape for API URLs, the site's own pages elsewhere.

Each page says what happened in plain words and offers a way back; none carries a debug hint.
"""
import base64
import hashlib
import logging
import sys
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from apiproject.request_ids import current_request_id, new_request_id
from apiv2.exceptions import is_api_path, json_error_response
from apiv2.oauth2_errors import django_error_response, is_oauth2_client_endpoint

logger = logging.getLogger("django.request")


def for_clients(request, status, additional=""):
    """The JSON answer of the URLs programs call (the OAuth 2.0 client endpoints in their shape, the
    API and the OAuth 1.0a token endpoints in the guide's), or None for the pages people read."""
    if is_oauth2_client_endpoint(request.path):
        return django_error_response(status, additional)
    if is_api_path(request.path):
        return json_error_response(status, additional=additional)
    return None


def bad_request(request, exception=None):
    if isinstance(exception, DisallowedHost):
        return for_clients(request, 400) or host_not_served_page(request)
    return for_clients(request, 400) or render(request, "400.html", status=400)


def refused_page(request, status):
    """The page for a request refused before any view (`apiproject.request_shape`)."""
    try:
        request.get_host()
    except DisallowedHost:
        return host_not_served_page(request)
    return render(request, f"{status}.html", status=status)


def host_not_served_page(request):
    """The 400 page for a Host we do not serve. The browser would fetch the stylesheets from that
    host, which refuses them too: so they travel in the page, allowed by their hash alone (the policy
    still allows no other inline style), with the icon as a data URL and no script."""
    styles, icon = _self_contained_assets()
    response = render(request, "400.html", {"inline_styles": styles, "inline_icon": icon, "quiet_header": True},
                      status=400)
    response["Content-Security-Policy"] = _policy_allowing_style(styles)
    return response


@cache
def _self_contained_assets():
    styles = "\n".join(_static_text(name) for name in ("chrome.css", "site.css"))
    icon = "data:image/svg+xml;base64," + base64.b64encode(_static_text("favicon.svg").encode()).decode()
    return styles, icon


def _static_text(name):
    with open(finders.find(name), encoding="utf-8") as static_file:
        return static_file.read()


def _policy_allowing_style(styles):
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(styles.encode()).digest()).decode() + "'"
    directives = [directive.strip() for directive in settings.CONTENT_SECURITY_POLICY.split(";")]
    if not any(directive.startswith("style-src ") for directive in directives):
        directives.append("style-src 'self'")
    return "; ".join(f"{directive} {digest}" if directive.startswith("style-src ") else directive
                     for directive in directives)


def permission_denied(request, exception=None):
    return for_clients(request, 403) or render(request, "403.html", status=403)


def not_found(request, exception=None):
    return for_clients(request, 404) or render(request, "404.html", status=404)


def server_error(request):
    """No request context: whatever broke (the database, the session) must not break this page too.

    The page gives the request ID to quote (`apiproject.request_ids`; a JSON answer has it in its
    `X-Request-ID` header): it is on this line, logged with the request and the error's type just
    before Django logs the traceback, and on every other line of the request, so support finds them."""
    request_id = current_request_id() or new_request_id()  # new: called outside the middleware
    error = sys.exc_info()[0]
    logger.error("Server error, request ID %s: %s %s (%s)", request_id, request.method, request.path,
                 error.__name__ if error else "no exception")
    return for_clients(request, 500) or HttpResponseServerError(
        loader.get_template("500.html").render({"quiet_header": True, "request_id": request_id}))


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
