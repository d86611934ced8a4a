"""The developer's account pages: signup, password change and reset, API passwords, the security log, home,
billing and contact.

Views parse, call one service or selector, render; the rules live in services, selectors, policy.
"""
import logging
import math
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash, views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView

from access.client_address import client_address
from accounts.api_passwords import basic_sign_in_password_allowed
from accounts.forms import ApiPasswordCreateForm, BasicSignInPasswordForm, SignInForm, SignupForm
from accounts.models import AccountState
from accounts.password_reset_limits import password_reset_claim
from accounts.policy import account_state
from accounts.selectors import (
    account_balance_due,
    account_payment_link,
    account_payment_reference,
    api_passwords_of,
    balance_entries_of,
)
from accounts.services import (
    ApiPasswordNotCreated,
    account_basic_sign_in_password_set,
    account_signup,
    api_password_create,
    api_password_revoke,
)
from accounts.signup_limits import signup_claim, signup_wait
from audit.selectors import LOG_LENGTH, account_security_log
from consumers.secrets_once import secrets_keep, secrets_take
from consumers.selectors import consumers_usable_of

logger = logging.getLogger(__name__)


class SignupView(RedirectURLMixin, FormView):
    """Sign up, then go on where the person was going (`next`, e.g. an app's consent page) or home."""

    template_name = "accounts/signup.html"
    form_class = SignupForm
    next_page = reverse_lazy("home")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(self.get_success_url())
        wait = signup_wait(client_address(request))  # a person at a spent address is told before typing
        if wait:
            return self.too_many(wait)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def too_many(self, wait):
        """The friendly 429: why, when to come back, and the way in for those who have an account."""
        going_on = self.get_redirect_url()
        response = render(self.request, "accounts/signup_limited.html",
                          {"wait_minutes": math.ceil(wait / 60), "next": going_on}, status=429)
        response["Retry-After"] = str(wait)
        return response

    def form_valid(self, form):
        wait = signup_claim(client_address(self.request))  # counted with the check: no overshoot
        if wait:
            return self.too_many(wait)
        username, password = form.cleaned_data["username"], form.cleaned_data["password1"]
        account_signup(username=username, email=form.cleaned_data["email"], password=password)
        # Straight in, through the configured backends: the next step (registering a client) needs a session.
        user = authenticate(self.request, username=username, password=password)
        if user is None:  # sign-ins from this address are cooling off after failed attempts
            messages.info(self.request, "Your account is ready. Sign in to continue.")
            going_on = self.get_redirect_url()
            return redirect(f"{reverse('login')}?{urlencode({'next': going_on})}" if going_on else "login")
        login(self.request, user)
        messages.success(self.request, f"Welcome, {user.get_username()}! Your account is ready.")
        return super().form_valid(form)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's view (it keeps this session signed in); other sessions of the user end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")
    success_message = "Your password was changed. Use the new one for HTTP Basic requests too."


API_PASSWORD_SLOT = "api-password"  # where a new API password waits in the session (`consumers.secrets_once`)


@method_decorator(never_cache, name="dispatch")  # a failed form shows what was typed
class ApiPasswordsView(LoginRequiredMixin, TemplateView):
    """The account's API passwords (create, see last use, revoke) and whether its sign-in password works
    in HTTP Basic. A new API password crosses the redirect sealed in the session, as a new client secret
    does (`consumers.secrets_once`), and is shown once on the page after it."""

    template_name = "accounts/api_passwords.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("create_form", ApiPasswordCreateForm())
        allowed = basic_sign_in_password_allowed(user)
        kwargs.setdefault("sign_in_form", BasicSignInPasswordForm(
            request=self.request, initial={"allowed": "off" if allowed else "on"}))
        return super().get_context_data(api_passwords=api_passwords_of(user), sign_in_allowed=allowed, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ApiPasswordCreateForm(request.POST)
        if form.is_valid():
            try:
                api_password, password = api_password_create(user=request.user, name=form.cleaned_data["name"],
                                                             ip=client_address(request))
            except ApiPasswordNotCreated as refusal:
                form.add_error("name", str(refusal))
            else:
                secrets_keep(request.session, API_PASSWORD_SLOT, [(api_password, password)])
                return redirect("api-password-new", pk=api_password.pk)
        return self.render_to_response(self.get_context_data(create_form=form))


class BasicSignInPasswordView(ApiPasswordsView):
    """POST only: the sign-in password on or off for HTTP Basic, confirmed with it (429 with the wait
    while failed sign-ins cool off, as on the sign-in page)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = BasicSignInPasswordForm(request.POST, request=request)
        if not form.is_valid():
            return cooling_off_answer(request, self.render_to_response(self.get_context_data(sign_in_form=form)))
        allowed = form.cleaned_data["allowed"]
        account_basic_sign_in_password_set(user=request.user, allowed=allowed, password=form.cleaned_data["password"],
                                           ip=client_address(request))
        update_session_auth_hash(request, request.user)  # turning it off hashes it again: stay signed in here
        messages.success(request, "Your sign-in password works in HTTP Basic again." if allowed else
                         "Your sign-in password no longer works in HTTP Basic: only your API passwords do there.")
        return redirect("api-passwords")


@method_decorator(never_cache, name="dispatch")  # no-store: the new password's page above all
class OwnApiPasswordsMixin(LoginRequiredMixin):
    """Another account's API password is a 404 by construction."""

    context_object_name = "api_password"

    def get_queryset(self):
        return api_passwords_of(self.request.user)


class ApiPasswordNewView(OwnApiPasswordsMixin, DetailView):
    """The one page that shows a new API password, on the GET after the redirect, and only once: a reload
    says so. no-store, so the browser keeps no copy either."""

    template_name = "accounts/api_password_new.html"

    def get_context_data(self, **kwargs):
        shown, _ = secrets_take(self.request.session, API_PASSWORD_SLOT, pks={self.object.pk})
        if shown:
            kwargs["password"] = shown[self.object.pk]
        return super().get_context_data(**kwargs)


class ApiPasswordRevokeView(OwnApiPasswordsMixin, DetailView):
    """GET asks to confirm; POST revokes: the next request with it is refused."""

    template_name = "accounts/api_password_revoke.html"

    def post(self, request, *args, **kwargs):
        api_password = self.get_object()
        api_password_revoke(api_password=api_password, actor=request.user, ip=client_address(request))
        messages.success(request, f"The API password “{api_password.name}” was revoked. It no longer works.")
        return redirect("api-passwords")


@method_decorator(never_cache, name="dispatch")  # it lists the addresses the account was changed from
class AccountSecurityLogView(LoginRequiredMixin, TemplateView):
    """The signed-in account's own security log (`audit.selectors.account_security_log`): there is no
    other account's to ask for."""

    template_name = "accounts/security.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(log=account_security_log(self.request.user), log_length=LOG_LENGTH,
                                        **kwargs)


class RedirectThenRun(HttpResponseRedirect):
    """A redirect that runs `then` once the server has sent it (WSGI's `close`), so the time the client
    waits for it does not include that work."""

    def __init__(self, url, *, then):
        super().__init__(url)
        self.then = then

    def close(self):
        then, self.then = self.then, None
        try:
            if then is not None:
                then()
        except Exception as error:  # the answer is gone; a mail server that failed is worth one line
            logger.error("Work after the answer failed: %s", type(error).__name__)
        finally:
            super().close()  # then Django's request_finished (database connections) as after any answer


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, answering alike in the same time whether or not an account uses the address:
    the lookup, the link and the mail happen after the answer has gone (`RedirectThenRun`), and every
    request is counted per client address and per email address asked for, known or not."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        wait = password_reset_claim(address=client_address(self.request), email=form.cleaned_data["email"])
        if wait:
            response = render(self.request, "accounts/password_reset_limited.html",
                              {"wait_minutes": math.ceil(wait / 60)}, status=429)
            response["Retry-After"] = str(wait)
            return response
        send = partial(
            form.save, use_https=self.request.is_secure(), token_generator=self.token_generator,
            from_email=self.from_email, email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name, request=self.request,
            html_email_template_name=self.html_email_template_name, extra_email_context=self.extra_email_context,
        )
        return RedirectThenRun(self.get_success_url(), then=send)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, entered by the mailed link `…/<uidb64>/set-password?token=…`: the token travels in
    the query string, which neither gunicorn's nor nginx's access log records, and moves into the
    session at once (as Django moves a token that came in the path), so the form's URL never holds it."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        token = request.GET.get("token")
        if token is None or kwargs.get("token") != self.reset_url_token:
            return super().dispatch(request, *args, **kwargs)
        user = self.get_user(kwargs["uidb64"])
        if user is not None and self.token_generator.check_token(user, token):
            request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN] = token
        return HttpResponseRedirect(request.path)  # a token that does not check: "This link no longer works"


class HomeView(TemplateView):
    """Signed in: where the developer stands and what to do next. Signed out: what this service is."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            context.update(
                clients=consumers_usable_of(user),
                api_state=account_state(user),
                balance_due=account_balance_due(user),
                states=AccountState,
            )
        return context


class BillingView(LoginRequiredMixin, TemplateView):
    """The page a billing lock's `reference` points at: what is owed and how to pay it (the provider's
    link, bank details, or staff: never a dead end)."""

    template_name = "accounts/billing.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        due = account_balance_due(user)
        return super().get_context_data(
            balance_due=due,
            payment_link=account_payment_link(user, due),
            bank_details=settings.BILLING_BANK_DETAILS,
            entries=balance_entries_of(user),
            api_state=account_state(user),
            states=AccountState,
            payment_reference=account_payment_reference(user),
            billing_email=settings.SUPPORT_EMAIL,
            **kwargs,
        )


class ContactView(TemplateView):
    """The page a terms disable's `reference` points at. Open to everyone: a disabled user may not
    remember their password."""

    template_name = "accounts/contact.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            support_email=settings.SUPPORT_EMAIL,
            api_state=account_state(user) if user.is_authenticated else None,
            states=AccountState,
            **kwargs,
        )


class SignInView(auth_views.LoginView):
    """Django's sign-in page, answering 429 with the wait while failed sign-ins are cooling off, so a
    guesser learns nothing but the wait."""

    authentication_form = SignInForm

    def form_invalid(self, form):
        return cooling_off_answer(self.request, super().form_invalid(form))


def cooling_off_answer(request, response):
    """A sign-in form's answer (the page, with the wait in it: `CoolingOffMessage`), as 429 with
    `Retry-After` when the failed-login limits refused the check; unchanged otherwise."""
    wait = getattr(request, "failed_login_cool_off", None)
    if wait and response.status_code == 200:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response
