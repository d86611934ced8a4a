"""OAuth 1.0a pages: the authorize page and the user's authorized apps. Thin: the gate, the services
and the selectors do the work. (The token endpoints are API views: `apiv2.token_endpoints`.)"""
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from access.client_address import client_address
from consumers.consent import NOT_VALID, consent_context, consent_refusal_page, quiet_header, refused
from consumers.gate import OAUTH1
from consumers.grants import authorized_app_get, authorized_app_revoke, authorized_app_rows
from consumers.oauth1.selectors import authorized_apps_of, request_token_get_for_authorization
from consumers.oauth1.services import request_token_authorize, request_token_deny

# --- The authorize page (RFC 5849 §2.2) -----------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")  # the oob answer shows a verifier
class AuthorizeView(LoginRequiredMixin, View):
    """Shows what the app asks for; Authorize sends the user back with a verifier, Deny with `denied`.

    Every rule is asked again on POST: the page may have sat open while the account was locked.
    """

    def get(self, request):
        request_token = request_token_get_for_authorization(request.GET.get("oauth_token", ""))
        refused = _refusal_page(request, request_token)
        if refused is not None:
            return refused
        return render(request, "oauth/authorize.html", consent_context(
            request, client=request_token.consumer, scopes=request_token.scope_list,
            # Where Authorize leads: the callback's host, which may differ from the shown website.
            destination=None if request_token.is_oob else urlsplit(request_token.callback).netloc,
            form_action=reverse("oauth-authorize"), hidden_fields=[("oauth_token", request_token.key)],
        ))

    def post(self, request):
        request_token = request_token_get_for_authorization(request.POST.get("oauth_token", ""))
        refused = _refusal_page(request, request_token)
        if refused is not None:
            return refused
        if request.POST.get("decision") != "authorize":
            request_token_deny(request_token=request_token)
            # `denied`, as Twitter sends it, is what OAuth 1.0a clients check for a refusal (RFC 5849
            # names none); `oauth_token` stays for the clients that match the callback by it.
            return _send_back(request, request_token, {"oauth_token": request_token.key, "denied": request_token.key},
                              "oauth/denied.html")
        verifier = request_token_authorize(request_token=request_token, user=request.user,
                                           ip=client_address(request))
        if verifier is None:  # expired or authorized elsewhere while the page was open
            return _refusal_page(request, None)
        return _send_back(request, request_token,
                          {"oauth_token": request_token.key, "oauth_verifier": verifier},
                          "oauth/verifier.html")


def _refusal_page(request, request_token):
    """A page saying why this authorization cannot go on, or None when it can."""
    if request_token is None:
        return refused(request, 400, NOT_VALID,
                       "It has expired, was already answered, or the link is incomplete. "
                       "Go back to the app and start again.")
    return consent_refusal_page(request, request_token.consumer, OAUTH1)


def _send_back(request, request_token, params, oob_template):
    """Redirect to the app's callback with `params` added to its own query; `oob` shows a page."""
    if request_token.is_oob:
        return render(request, oob_template,
                      {"consumer": request_token.consumer, "quiet_header": quiet_header(request), **params})
    return HttpResponseRedirect(with_query_params(request_token.callback, params))


def with_query_params(url, params):
    """`url` with `params` appended to its query, which is kept exactly as the app registered it."""
    parts = urlsplit(url)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    return urlunsplit(parts._replace(query=query))


# --- The user's authorized apps --------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")  # which apps act for the user: no copy in the browser
class AuthorizedAppsView(LoginRequiredMixin, ListView):
    """OAuth 1.0a and OAuth 2.0 grants together, one row per app (`consumers.grants`)."""

    template_name = "oauth/authorized_apps.html"
    context_object_name = "apps"

    def get_queryset(self):
        return authorized_app_rows(self.request.user)


class RevokeAuthorizedAppView(LoginRequiredMixin, View):
    """Ends every token the user gave the app, both protocols'. The app is named by its client's id
    (`app`), or by one of the user's OAuth 1.0a tokens (`pk`, the page's first form). Another user's
    token or an app she did not authorize is a 404 by construction: the lookup is within her own.
    The page asks first (a disclosure in the row)."""

    def post(self, request, pk=None, app=None):
        if app is None:
            consumer = get_object_or_404(authorized_apps_of(request.user), pk=pk).consumer
        else:
            consumer = authorized_app_get(request.user, app)
            if consumer is None:
                raise Http404
        authorized_app_revoke(user=request.user, consumer=consumer, actor=request.user, ip=client_address(request))
        messages.success(request, f"{consumer.name} can no longer use your account.")
        return redirect("authorized-apps")
