"""Writes to registered clients: registration, secret rotation, revocation, last use."""
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from consumers.models import Consumer, generate_client_secret
from consumers.scopes import ALL_SCOPES, parse_scopes

LAST_USED_RESOLUTION = timedelta(minutes=1)
# When this process last wrote each mark: a snapshot's `last_used` is not refreshed by the write, so
# without this every request served from a snapshot would write again. Bounded; only saves writes.
_marked_at = {}
MARKS_REMEMBERED = 10_000


@transaction.atomic
def consumer_register(*, user, name, scopes=None, callback_url="", description="", website="",
                      actor=None, ip=None):
    """Register a client for `user`. `scopes` is space-separated text or a list; None means all.

    `actor` and `ip` say who registered it, for the audit trail (None from the command line).
    """
    if scopes is None:
        scope_names = ALL_SCOPES
    else:
        scope_names = parse_scopes(scopes if isinstance(scopes, str) else " ".join(scopes))
    if not scope_names:
        raise ValueError("A client needs at least one scope.")
    consumer = Consumer.objects.create(
        user=user,
        name=name,
        scopes=" ".join(scope_names),
        callback_url=callback_url,
        description=description,
        website=website,
    )
    _audit(AuditEvent.Action.CLIENT_REGISTERED, consumer, actor, ip,
           name=name, scopes=scope_names, callback_url=callback_url)
    return consumer


@transaction.atomic
def consumer_secret_rotate(*, consumer, actor=None, ip=None):
    """A new secret; the old one stops working at once."""
    consumer.client_secret = generate_client_secret()
    consumer.save(update_fields=["client_secret", "updated"])
    _audit(AuditEvent.Action.CLIENT_SECRET_ROTATED, consumer, actor, ip)
    return consumer.client_secret


@transaction.atomic
def consumer_revoke(*, consumer, actor=None, ip=None):
    if consumer.revoked_at is None:
        consumer.revoked_at = timezone.now()
        consumer.save(update_fields=["revoked_at", "updated"])
        _audit(AuditEvent.Action.CLIENT_REVOKED, consumer, actor, ip)
    return consumer


def consumer_mark_used(*, consumer):
    record_last_use(consumer, key=consumer.client_id)


def record_last_use(instance, *, key):
    """Record a client's or token's use at most about once a minute per worker, so a warm request
    does not write. A queryset update: it sends no signal, so no snapshot is forgotten for it."""
    mark = (type(instance).__name__, key)  # keys, not ids: ids come back after a rollback
    clock = time.monotonic()
    if clock - _marked_at.get(mark, -LAST_USED_RESOLUTION.total_seconds()) < LAST_USED_RESOLUTION.total_seconds():
        return
    now = timezone.now()
    if instance.last_used and now - instance.last_used < LAST_USED_RESOLUTION:
        return
    type(instance).objects.filter(pk=instance.pk).update(last_used=now)
    instance.last_used = now
    if len(_marked_at) >= MARKS_REMEMBERED:
        _marked_at.clear()
    _marked_at[mark] = clock


@transaction.atomic
def consumer_update(*, consumer, name, description="", website="", callback_url="", actor=None, ip=None):
    """Change what the developer may change. Scopes stay as registered: tokens were granted on them."""
    consumer.name = name
    consumer.description = description
    consumer.website = website
    consumer.callback_url = callback_url
    consumer.save(update_fields=["name", "description", "website", "callback_url", "updated"])
    # The callback decides where verifiers are sent: a change of it is worth a record.
    _audit(AuditEvent.Action.CLIENT_UPDATED, consumer, actor, ip, name=name, callback_url=callback_url)
    return consumer


@transaction.atomic
def consumer_signature_debug_set(*, consumer, enabled, actor=None, ip=None):
    """The owner's switch: bad-signature 401s for this client carry the base string we computed."""
    consumer.signature_debug = enabled
    consumer.save(update_fields=["signature_debug", "updated"])
    _audit(AuditEvent.Action.CLIENT_UPDATED, consumer, actor, ip, signature_debug=enabled)
    return consumer


def _audit(action, consumer, actor, ip, **detail):
    """An audit event about `consumer`: its key names it; its secret never appears."""
    audit_record(action=action, actor=actor, ip=ip, subject=consumer.client_id,
                 detail={"owner": consumer.user.get_username(), **detail})
