"""The Consumer Registration URL: a developer's own clients, and nothing else.

Every view reads clients through `consumers_of(request.user)`, so another developer's client is a
404 by construction. Forms that change something redirect (post/redirect/get), so a reload never
registers or rotates twice. A new client secret crosses that redirect sealed in the session
(`consumers.secret_box`) and is taken out by the one GET that shows it: a reload finds it gone.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from access.client_address import client_address
from audit.selectors import client_security_log
from consumers.forms import ConsumerChangeForm, ConsumerRegisterForm, SecretRotateForm, SignatureDebugForm
from consumers.grants import consumer_grant_types
from consumers.oauth1.debugger import signature_steps
from consumers.secrets_once import secrets_keep, secrets_take
from consumers.selectors import consumer_authorizations, consumers_listed_of, consumers_of, consumers_usable_of
from consumers.services import (
    consumer_previous_secret_expire,
    consumer_register,
    consumer_revoke,
    consumer_secret_rotate,
    consumer_signature_debug_set,
    consumer_update,
)
from consumers.usage import consumer_usage
from consumers.usage_chart import usage_chart


@method_decorator(never_cache, name="dispatch")  # every page of an app shows its client key: no-store
class OwnConsumersMixin(LoginRequiredMixin):
    context_object_name = "consumer"

    def get_queryset(self):
        return consumers_of(self.request.user)


class ActiveOwnConsumersMixin(OwnConsumersMixin):
    """A revoked client cannot be edited, rotated or revoked again: it is a 404 for those."""

    def get_queryset(self):
        return super().get_queryset().active()


class UsableOwnConsumersMixin(OwnConsumersMixin):
    """A client whose key does not work (revoked, or rejected in review) has nothing to rotate or debug."""

    def get_queryset(self):
        return consumers_usable_of(self.request.user)


def show_secret_once(request, consumer, secret, created):
    """Redirect to the page that shows `secret` once (`consumers.secrets_once`)."""
    secrets_keep(request.session, "developer", [(consumer, secret)], created=created)
    return redirect("consumer-secret", pk=consumer.pk)


class ConsumerListView(OwnConsumersMixin, ListView):
    template_name = "consumers/list.html"
    context_object_name = "consumers"

    def get_queryset(self):
        return consumers_listed_of(self.request.user)


@method_decorator(never_cache, name="dispatch")  # a form that failed shows what was typed
class ConsumerRegisterView(LoginRequiredMixin, FormView):
    template_name = "consumers/register.html"
    form_class = ConsumerRegisterForm

    def form_valid(self, form):
        consumer = consumer_register(user=self.request.user, **form.cleaned_data,
                                     actor=self.request.user, ip=client_address(self.request))
        return show_secret_once(self.request, consumer, consumer.client_secret, created=True)


class ConsumerSecretView(OwnConsumersMixin, DetailView):
    """The one page that shows a client secret, on the GET after the redirect, and only once: a
    reload says how to get a new one. no-store, so the browser keeps no copy either."""

    template_name = "consumers/secret.html"

    def get_context_data(self, **kwargs):
        secrets, facts = secrets_take(self.request.session, "developer", pks={self.object.pk})
        if secrets:
            kwargs.update(client_secret=secrets[self.object.pk], created=facts["created"])
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)
        return response


class ConsumerDetailView(OwnConsumersMixin, DetailView):
    """The app's page, with its security log and the signature debugger: a POST there computes and shows,
    changing nothing."""

    template_name = "consumers/detail.html"

    def get_context_data(self, **kwargs):
        # A refusal on the usage page opens the debugger with its method and URL filled in (`?method=&url=`).
        kwargs.setdefault("debug_form", SignatureDebugForm(initial={
            name: self.request.GET[name] for name in ("method", "url") if name in self.request.GET}))
        return super().get_context_data(grant_types=consumer_grant_types(self.object),
                                        authorizations=consumer_authorizations(self.object),
                                        security_log=client_security_log(self.object),
                                        review_on=settings.CLIENT_REVIEW, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_rejected:  # its secret signs nothing we accept: nothing to debug
            raise Http404
        form = SignatureDebugForm(request.POST)
        steps = signature_steps(consumer=self.object, **form.cleaned_data) if form.is_valid() else None
        response = self.render_to_response(self.get_context_data(debug_form=form, steps=steps))
        add_never_cache_headers(response)
        return response


class ConsumerUsageView(OwnConsumersMixin, DetailView):
    """The app's requests of the last 30 days by outcome, as a chart and a table, and its last refusals
    (`consumers.usage`). Reads only: safe to reload."""

    template_name = "consumers/usage.html"

    def get_context_data(self, **kwargs):
        usage = consumer_usage(self.object)
        # A refusal's URL for the debugger: this site's origin and the path (its query was never kept).
        origin = self.request.build_absolute_uri("/").rstrip("/")
        return super().get_context_data(usage=usage, chart=usage_chart(usage.days), origin=origin, **kwargs)


class ConsumerSignatureDebugSwitchView(UsableOwnConsumersMixin, SingleObjectMixin, View):
    """POST only: the owner turns base strings in bad-signature 401s on or off."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enabled = request.POST.get("enabled") == "on"
        consumer_signature_debug_set(consumer=self.get_object(), enabled=enabled, actor=request.user,
                                     ip=client_address(request))
        messages.success(request, "Bad-signature answers now carry the base string we computed." if enabled
                         else "Bad-signature answers no longer carry the base string.")
        return redirect("consumer-detail", pk=self.kwargs["pk"])


class ConsumerEditView(ActiveOwnConsumersMixin, SingleObjectMixin, FormView):
    """Saving may send the app (back) to review: `consumer_update` decides, and the message says so."""

    template_name = "consumers/edit.html"
    form_class = ConsumerChangeForm

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {field: getattr(self.object, field) for field in ConsumerChangeForm.base_fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(review_on=settings.CLIENT_REVIEW, **kwargs)

    def form_valid(self, form):
        was_pending = self.object.awaiting_review
        consumer = consumer_update(consumer=self.object, **form.cleaned_data,
                                   actor=self.request.user, ip=client_address(self.request))
        messages.success(self.request, "Your changes were saved and the app was sent to review: until staff "
                         "approve it, only your own account can use it." if consumer.awaiting_review
                         and not was_pending else "Your changes were saved.")
        return redirect("consumer-detail", pk=self.object.pk)


class ConsumerRotateSecretView(UsableOwnConsumersMixin, SingleObjectMixin, FormView):
    """GET asks to confirm and how long the old secret may keep working; POST rotates, then the new
    secret is shown once."""

    template_name = "consumers/rotate.html"
    form_class = SecretRotateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        secret = consumer_secret_rotate(consumer=self.object, overlap=form.cleaned_data["overlap"],
                                        actor=self.request.user, ip=client_address(self.request))
        return show_secret_once(self.request, self.object, secret, created=False)


class ConsumerPreviousSecretExpireView(UsableOwnConsumersMixin, DetailView):
    """GET asks to confirm; POST ends the previous secret's overlap now. With no overlap left (it
    ended, or another tab ended it) both say so and change nothing."""

    template_name = "consumers/expire_previous_secret.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.previous_secret_in_force():
            messages.info(request, "No previous secret works any more: there is nothing to expire.")
            return redirect("consumer-detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(object=self.object))

    def post(self, request, *args, **kwargs):
        ended = consumer_previous_secret_expire(consumer=self.get_object(), actor=request.user,
                                                ip=client_address(request))
        if ended:
            messages.success(request, "The previous secret no longer works: only the current one signs requests now.")
        else:
            messages.info(request, "No previous secret works any more: there was nothing to expire.")
        return redirect("consumer-detail", pk=self.kwargs["pk"])


class ConsumerRevokeView(ActiveOwnConsumersMixin, DetailView):
    """GET asks to confirm; POST revokes the key and with it every token issued to it."""

    template_name = "consumers/revoke.html"

    def post(self, request, *args, **kwargs):
        consumer = consumer_revoke(consumer=self.get_object(), actor=request.user, ip=client_address(request))
        messages.success(request, f"“{consumer.name}” was revoked. Its key no longer works.")
        return redirect("consumer-list")
