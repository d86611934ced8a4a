"""The shape every staff action shares: call one service per selected object, all in one transaction
(all or nothing), then say how many were done, or that nothing was."""
from django.contrib import messages
from django.db import transaction

from access.client_address import client_address
from access.refusals import Refusal


def apply_to_selected(modeladmin, request, queryset, service, done):
    """`service(obj, actor=..., ip=...)` for each selected object; `done` names the outcome
    ("3 client(s) revoked."). A refusal (the shared store could not be told) undoes them all."""
    try:
        with transaction.atomic():
            for obj in queryset:
                service(obj, actor=request.user, ip=client_address(request))
    except Refusal as refusal:
        modeladmin.message_user(request, f"Nothing changed. {refusal.additional}", messages.ERROR)
        return
    modeladmin.message_user(request, f"{queryset.count()} {done}.", messages.SUCCESS)
