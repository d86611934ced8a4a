"""The shape every staff action shares: ask first where it matters (an intermediate page listing the
rows, as Django's own "Delete selected" does, with a reason where one is recorded), then call one
service per selected object, all in one transaction (all or nothing), and say how many were done."""
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse

from access.client_address import client_address
from access.refusals import Refusal

CONFIRMED = "apply"  # the intermediate page's hidden field: the staff member said yes


class ConfirmForm(forms.Form):
    """Nothing to choose: the page itself is the question."""


class ReasonForm(forms.Form):
    """Why, in staff's words, kept in the audit trail (and shown in the account's history)."""

    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=1000,
                             help_text="Recorded in the audit trail with your name.")

    def __init__(self, *args, required=True, optional_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = "Reason (optional)"
            self.fields["reason"].help_text = f"{optional_help} {self.fields['reason'].help_text}".strip()


def confirmed_form(request, form_class, **form_kwargs):
    """The action's form: bound (and so checked) once the intermediate page was sent, else empty."""
    return form_class(request.POST if CONFIRMED in request.POST else None, **form_kwargs)


def ask_first(modeladmin, request, queryset, form, *, title, intro, rows, button, danger=False):
    """The intermediate page: what will happen (`intro`), to which rows (`rows`: one line each, for
    the objects in `queryset`), the form, and the button that does it; Cancel goes back to the list."""
    opts = modeladmin.model._meta
    return TemplateResponse(request, "admin/action_confirmation.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "intro": intro,
        "opts": opts,
        "rows": rows,
        "objects": queryset,
        "form": form,
        "button": button,
        "danger": danger,
        "confirmed": CONFIRMED,
        "action": request.POST["action"],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    })


def counted(count, done):
    """`done` with its plural marked, "client(s) revoked", said of `count` objects in plain English:
    "1 client revoked.", "2 clients revoked.", "No clients revoked."."""
    if count == 0:
        return f"No {done.replace('(s)', 's')}."
    return f"{count} {done.replace('(s)', '' if count == 1 else 's')}."


def apply_to_selected(modeladmin, request, queryset, service, done, skip=()):
    """`service(obj, actor=..., ip=...)` for each selected object; `done` names the outcome with its
    plural marked ("client(s) revoked", see `counted`). A refusal (the shared store could not be told)
    undoes them all. An object whose service raises one of `skip` (the service's own "not this one")
    is left alone; those objects are returned for the caller to name."""
    left_alone = []
    try:
        with transaction.atomic():
            for obj in queryset:
                try:
                    service(obj, actor=request.user, ip=client_address(request))
                except skip:
                    left_alone.append(obj)
    except Refusal as refusal:
        modeladmin.message_user(request, f"Nothing changed. {refusal.additional}", messages.ERROR)
        return []
    count = queryset.count() - len(left_alone)
    if count or not left_alone:
        modeladmin.message_user(request, counted(count, done), messages.SUCCESS if count else messages.WARNING)
    return left_alone
