"""The shape every staff action shares: call one service per selected object, all in one transaction
(all or nothing), then say how many were done, or that nothing was."""
from django.contrib import messages
from django.db import transaction

from access.client_address import client_address
from access.refusals import Refusal


def apply_to_selected(modeladmin, request, queryset, service, done, skip=()):
    """`service(obj, actor=..., ip=...)` for each selected object; `done` names the outcome
    ("3 client(s) revoked."). A refusal (the shared store could not be told) undoes them all. An object
    whose service raises one of `skip` (the service's own "not this one") is left alone; those objects
    are returned for the caller to name."""
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
        modeladmin.message_user(request, f"{count} {done}.", messages.SUCCESS)
    return left_alone
