"""The OAuth 2.0 consent page (`/oauth2/authorize`, RFC 6749 §4.1 with PKCE): the OAuth 1.0a authorize
page's look and rules (`consumers.consent`). Thin: oauthlib validates the request through the bridge,
the gate says who may approve, the toolkit stores the authorization code.

The request stays in the page's query string and is validated again on POST, every rule with it:
the page may have sat open while the account was locked or the client revoked.
"""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.settings import oauth2_settings

from access.client_address import client_address
from consumers.consent import NOT_VALID, consent_context, consent_refusal_page, refused
from consumers.gate import OAUTH2
from consumers.oauth2.bridge import core
from consumers.oauth2.services import authorization_record_approval

AUTHORIZE = "authorize"


@method_decorator(never_cache, name="dispatch")
class ConsentView(LoginRequiredMixin, View):
    def get(self, request):
        checked = _checked(request)
        if not isinstance(checked, tuple):
            return checked
        scopes, credentials, client = checked
        return render(request, "oauth/authorize.html", consent_context(
            request, client=client, scopes=scopes,
            destination=urlsplit(credentials["redirect_uri"]).netloc,
            form_action=request.get_full_path(),
        ))

    def post(self, request):
        checked = _checked(request)
        if not isinstance(checked, tuple):
            return checked
        scopes, credentials, client = checked
        allow = request.POST.get("decision") == AUTHORIZE
        try:
            with transaction.atomic():
                uri, _, _, _ = core().create_authorization_response(request, scopes, credentials, allow)
                authorization_record_approval(client=client, user=request.user, scopes=scopes,
                                              ip=client_address(request))
        except OAuthToolkitError as error:  # denied, or refused while issuing the code
            return _error_answer(request, error)
        return HttpResponseRedirect(uri)


def _checked(request):
    """(scopes, credentials, client) of the valid authorization request in the query string that the
    user may approve, or the answer saying why not."""
    try:
        scopes, credentials = core().validate_authorization_request(request)
    except OAuthToolkitError as error:
        return _error_answer(request, error)
    client = credentials.pop("request").client
    refused_page = consent_refusal_page(request, client, OAUTH2)
    if refused_page is not None:
        return refused_page
    return scopes, credentials, client


def _error_answer(request, error):
    """RFC 6749 §4.1.2.1: an unknown client or a redirect URI not under its callback gets a page (never
    a redirect there); any other error goes back to the client's redirect URI, naming us as every
    answer there does (RFC 9207)."""
    oauthlib_error = error.oauthlib_error
    redirect_uri = getattr(oauthlib_error, "redirect_uri", None)
    if isinstance(error, FatalClientError) or not redirect_uri:
        return refused(request, 400, NOT_VALID,
                       f"{oauthlib_error.description} Go back to the app and start again.")
    return HttpResponseRedirect(_with_issuer(request, oauthlib_error.in_uri(redirect_uri)))


def _with_issuer(request, uri):
    """RFC 9207 §2: the error answer carries `iss`, the metadata's issuer, as a code answer does (the
    toolkit adds it there), so that a client checking it tells a denial from a mix-up."""
    parts = urlsplit(uri)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "iss"]
    query.append(("iss", oauth2_settings.oauth2_authorization_server_issuer(request)))
    return urlunsplit(parts._replace(query=urlencode(query)))
