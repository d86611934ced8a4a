"""The device flow's page (RFC 8628 §3.3): the user types the code their device shows, sees what the
app asks for on the consent page both protocols share, and authorizes or denies. Thin: the gate
(through `consumers.consent`), `consumers.oauth2.device` and the wrong-code counters
(`consumers.oauth2.device_attempts`) do the work.

Login comes first, CSRF guards every form, the site-wide `X-Frame-Options: DENY` keeps it out of
frames, and every rule is asked again when the user answers: the page may have sat open while the
account was locked or the app revoked.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from access.client_address import client_address
from consumers.consent import consent_context, consent_refusal_page, quiet_header, refused
from consumers.gate import OAUTH2, user_refusal
from consumers.oauth2.device import device_grant_approve, device_grant_deny, device_grant_pending
from consumers.oauth2.device_attempts import WrongUserCodes
from consumers.oauth2.user_codes import user_code_as_stored

WRONG_CODE = "That code is not valid. Check it on your device (it expires after 15 minutes) and type it again."


class UserCodeForm(forms.Form):
    user_code = forms.CharField(
        label="Code", max_length=32,
        help_text="The 8 characters your device shows, such as WDJB-MJHT; any case, the dash is optional.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "autofocus": True}),
    )


@method_decorator(never_cache, name="dispatch")
class DeviceView(LoginRequiredMixin, View):
    """GET: the code form (filled in from `verification_uri_complete`'s `user_code`). POST a code: the
    consent page for it. POST a code and a decision: the answer, then back here (post/redirect/get)."""

    def get(self, request):
        refused_page = _user_refused(request)
        if refused_page is not None:
            return refused_page
        return _code_page(request, UserCodeForm(initial={"user_code": request.GET.get("user_code", "")[:32]}))

    def post(self, request):
        refused_page = _user_refused(request)
        if refused_page is not None:
            return refused_page
        form = UserCodeForm(request.POST)
        if not form.is_valid():
            return _code_page(request, form, status=400)
        attempts = WrongUserCodes(request.user, client_address(request))
        wait = attempts.claim()
        if wait:  # the right code too: a guesser must not learn that one was right
            return refused(request, 429, "Too many wrong codes",
                           f"No code is accepted for a while; try again in {wait // 60 + 1} minutes.")
        user_code = user_code_as_stored(form.cleaned_data["user_code"])
        grant = device_grant_pending(user_code)
        if grant is None:
            if not user_code:  # one that could exist is a guess or a typo, and stays counted
                attempts.release()
            form.add_error("user_code", WRONG_CODE)
            return _code_page(request, form, status=400)
        attempts.release()
        refused_page = consent_refusal_page(request, grant.consumer, OAUTH2)
        if refused_page is not None:
            return refused_page
        decision = request.POST.get("decision")
        if decision is None:
            return _consent_page(request, grant)
        name = grant.consumer.name
        if decision == "authorize":
            answered = device_grant_approve(grant=grant, user=request.user, ip=client_address(request))
            message = f"{name} is connected to your account. Go back to your device: it finishes by itself."
        else:
            answered = device_grant_deny(grant=grant, user=request.user)
            message = f"You denied {name}: your device gets nothing."
        if not answered:  # answered in another tab, or expired while the page was open
            form.add_error("user_code", WRONG_CODE)
            return _code_page(request, form, status=400)
        messages.success(request, message)
        return redirect("oauth2-device")


def _user_refused(request):
    """The page saying why this user cannot authorize anything now (locked, disabled), or None."""
    refusal = user_refusal(request.user)
    if refusal is None:
        return None
    link = request.build_absolute_uri(reverse(refusal.help_page)) if refusal.help_page else ""
    return refused(request, 403, refusal.message, refusal.additional, link)


def _code_page(request, form, status=200):
    return render(request, "oauth2/device.html", {"form": form, "quiet_header": quiet_header(request)},
                  status=status)


def _consent_page(request, grant):
    context = consent_context(request, client=grant.consumer, scopes=grant.scope.split(), destination=None,
                              form_action=reverse("oauth2-device"), hidden_fields=[("user_code", grant.user_code)])
    return render(request, "oauth/authorize.html", {**context, "device_user_code": grant.user_code})
