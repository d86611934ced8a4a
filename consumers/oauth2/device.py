"""The device authorization grant's rows (RFC 8628), in django-oauth-toolkit's `DeviceGrant` model:
issue, find by user code, approve, deny, and answer a device's poll.

One device code gives tokens once: the poll that finds it approved spends it (a conditional delete,
so two racing polls cannot both win). A poll sooner than the grant's interval after the last one is
answered `slow_down`, and the interval grows by 5 seconds for the polls after it (RFC 8628 §3.5).
"""
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oauth2_provider.models import get_device_grant_model
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError
from oauthlib.oauth2.rfc8628.grant_types import DeviceCodeGrant

from access.storable import storable
from audit.models import AuditEvent
from audit.services import audit_record
from consumers.oauth2.user_codes import generate_user_code
from consumers.selectors import consumer_prepare, consumer_queryset

DEVICE_CODE_LIFETIME = timedelta(minutes=15)
SLOW_DOWN_SECONDS = 5  # RFC 8628 §3.5: "the interval MUST be increased by 5 seconds"
USER_CODE_TRIES = 5  # a clash among live codes is rare (29**8 codes); retrying keeps lookups unique

AUTHORIZED = DeviceCodeGrant.DEVICE_CODE_AUTHORIZED
PENDING = DeviceCodeGrant.DEVICE_CODE_PENDING
SLOW_DOWN = DeviceCodeGrant.DEVICE_CODE_SLOW_DOWN
EXPIRED = DeviceCodeGrant.DEVICE_CODE_EXPIRED
DENIED = DeviceCodeGrant.DEVICE_CODE_DENIED


def _grants():
    return get_device_grant_model().objects


def user_code_unique():
    """A user code no live grant holds (each lookup by code must find one grant at most)."""
    for _ in range(USER_CODE_TRIES):
        user_code = generate_user_code()
        if not _live().filter(user_code=user_code).exists():
            return user_code
    raise RuntimeError("no free user code")  # 29**8 codes: not in this universe's lifetime


def device_grant_create(*, client_id, device_code, user_code, scopes, interval):
    """A pending grant for the device that asked; its first poll may come at once."""
    now = timezone.now()
    grant = _grants().create(client_id=client_id, device_code=device_code, user_code=user_code,
                             scope=" ".join(scopes), interval=interval, expires=now + DEVICE_CODE_LIFETIME)
    # `last_checked` is the last poll; set back by one interval so the first poll is not too soon.
    _grants().filter(pk=grant.pk).update(last_checked=now - timedelta(seconds=interval))
    return grant


def _live():
    Model = get_device_grant_model()
    return _grants().filter(status=Model.AUTHORIZATION_PENDING, expires__gt=timezone.now())


def device_grant_pending(user_code):
    """The live grant nobody answered yet with this user code (stored form), with its client
    loaded as `consumer` (with its owner and the owner's state, for the gate); or None."""
    if not user_code:
        return None
    grant = _live().filter(user_code=user_code).first()
    if grant is None:
        return None
    consumer = consumer_queryset().filter(client_id=grant.client_id).first()
    if consumer is None:
        return None
    grant.consumer = consumer_prepare(consumer)
    return grant


@transaction.atomic
def device_grant_approve(*, grant, user, ip=None):
    """The user said yes: the device's next poll gets tokens acting for `user`. False when it was too
    late (expired, or answered in another tab meanwhile)."""
    Model = get_device_grant_model()
    approved = _live().filter(pk=grant.pk).update(status=Model.AUTHORIZED, user=user)
    if approved:
        audit_record(action=AuditEvent.Action.TOKEN_APPROVED, actor=user, ip=ip, subject=grant.client_id,
                     detail={"user": user.get_username(), "scopes": grant.scope.split(), "grant": "device_code"})
    return bool(approved)


def device_grant_deny(*, grant, user):
    """The user said no: the device's next poll gets `access_denied`."""
    Model = get_device_grant_model()
    return bool(_live().filter(pk=grant.pk).update(status=Model.DENIED, user=user))


def device_code_poll(*, client_id, device_code):
    """(status, grant) for a device's poll: one of the statuses oauthlib's `DeviceCodeGrant` maps to
    RFC 8628 §3.5's answers, or (None, None) for a device code this client was not given."""
    Model = get_device_grant_model()
    if not device_code or not storable(device_code):  # ours are URL-safe: one no database holds is none of ours
        return None, None
    grant = _grants().select_related("user").filter(client_id=client_id, device_code=device_code).first()
    if grant is None:
        return None, None
    now = timezone.now()
    if grant.status == Model.EXPIRED or grant.expires <= now:
        _grants().filter(pk=grant.pk).update(status=Model.EXPIRED)
        return EXPIRED, grant
    if grant.status == Model.DENIED:
        return DENIED, grant
    if grant.status == Model.AUTHORIZED:
        return AUTHORIZED, grant
    on_time = _grants().filter(pk=grant.pk, last_checked__lte=now - timedelta(seconds=grant.interval))
    if on_time.update(last_checked=now):
        return PENDING, grant
    _grants().filter(pk=grant.pk).update(interval=F("interval") + SLOW_DOWN_SECONDS, last_checked=now)
    return SLOW_DOWN, grant


def device_code_spend(request):
    """oauthlib's last check before a device's tokens are made (after the gate): the approved grant is
    spent, a conditional delete, so that of two racing polls one gets tokens and the other
    `invalid_grant`, as any later poll does."""
    Model = get_device_grant_model()
    deleted, _ = _grants().filter(pk=request.device_grant.pk, status=Model.AUTHORIZED).delete()
    if not deleted:
        raise InvalidGrantError(request=request)
