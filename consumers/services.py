"""Writes to registered clients: registration, secret rotation and the end of its overlap, revocation
and reinstatement, staff review, last use (of the client, and of each of its secrets)."""
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from access.last_use import LAST_USED_RESOLUTION, marked_lately, record_last_use, remember_mark
from audit.models import AuditEvent
from audit.services import audit_record
from consumers.lookup_cache import ACCESS_TOKEN, forget
from consumers.models import Consumer, ReviewStatus, generate_client_secret
from consumers.oauth1.models import AccessToken, RequestToken
from consumers.oauth2.services import oauth2_grants_end_for_client
from consumers.scopes import ALL_SCOPES, parse_scopes


@transaction.atomic
def consumer_register(*, user, name, scopes=None, callback_url="", description="", website="",
                      review_status=None, actor=None, ip=None):
    """Register a client for `user`. `scopes` is space-separated text or a list; None means all.

    `review_status` None: pending while CLIENT_REVIEW is on, else approved (staff registering a
    client pass approved: they are the review). `actor` and `ip` say who registered it, for the
    audit trail (None from the command line).
    """
    if review_status is None:
        review_status = ReviewStatus.PENDING if settings.CLIENT_REVIEW else ReviewStatus.APPROVED
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
        review_status=review_status,
    )
    _audit(AuditEvent.Action.CLIENT_REGISTERED, consumer, actor, ip,
           name=name, scopes=scope_names, callback_url=callback_url,
           **({} if review_status == ReviewStatus.APPROVED else {"review_status": review_status}))
    return consumer


# The overlaps a developer may choose when rotating: the old secret keeps working this long.
ROTATION_OVERLAPS = {"0": timedelta(0), "1h": timedelta(hours=1), "24h": timedelta(hours=24)}


@transaction.atomic
def consumer_secret_rotate(*, consumer, overlap=timedelta(0), actor=None, ip=None):
    """A new secret. The old one keeps working for `overlap` (none: it stops at once); a secret
    still in its overlap from an earlier rotation stops now, so at most two ever work."""
    # The stored mark, not the caller's copy: requests record it with queryset updates meanwhile.
    last_used = Consumer.objects.select_for_update().values_list("client_secret_last_used", flat=True) \
        .get(pk=consumer.pk)
    if overlap > timedelta(0):
        consumer.previous_client_secret = consumer.client_secret
        consumer.previous_secret_expires_at = timezone.now() + overlap
        consumer.previous_secret_last_used = last_used  # its use goes with it
    else:
        consumer.previous_client_secret = ""
        consumer.previous_secret_expires_at = None
        consumer.previous_secret_last_used = None
    consumer.client_secret = generate_client_secret()
    consumer.client_secret_last_used = None
    # The save forgets the cached snapshot (`consumers.signals`): the next request sees the change.
    consumer.save(update_fields=["client_secret", "previous_client_secret", "previous_secret_expires_at",
                                 "client_secret_last_used", "previous_secret_last_used", "updated"])
    _audit(AuditEvent.Action.CLIENT_SECRET_ROTATED, consumer, actor, ip,
           overlap_seconds=int(overlap.total_seconds()))
    return consumer.client_secret


@transaction.atomic
def consumer_previous_secret_expire(*, consumer, actor=None, ip=None):
    """End a rotation's overlap now: the previous secret stops working from the next request on (the
    save forgets the cached snapshot). True when a secret was still in force and has been ended."""
    stored = Consumer.objects.select_for_update().only("previous_client_secret", "previous_secret_expires_at") \
        .get(pk=consumer.pk)
    if not stored.previous_secret_in_force():
        return False  # the overlap has ended already, or there was none
    consumer.previous_client_secret = ""
    consumer.previous_secret_expires_at = None
    consumer.previous_secret_last_used = None
    consumer.save(update_fields=["previous_client_secret", "previous_secret_expires_at",
                                 "previous_secret_last_used", "updated"])
    _audit(AuditEvent.Action.CLIENT_UPDATED, consumer, actor, ip, previous_secret_expired=True)
    return True


@transaction.atomic
def consumer_revoke(*, consumer, note="", actor=None, ip=None):
    """The key stops working for everyone; `note` (staff's reason) goes into the audit trail."""
    if consumer.revoked_at is None:
        consumer.revoked_at = timezone.now()
        consumer.save(update_fields=["revoked_at", "updated"])
        _audit(AuditEvent.Action.CLIENT_REVOKED, consumer, actor, ip, **({"note": note} if note else {}))
    return consumer


@transaction.atomic
def consumer_reinstate(*, consumer, actor=None, ip=None):
    """Undo a revocation: the key works again, but every token issued before stays revoked (the
    people who authorized the app were told it was gone)."""
    if consumer.revoked_at is not None:
        _tokens_end(consumer, consumer.revoked_at)
        consumer.revoked_at = None
        consumer.save(update_fields=["revoked_at", "updated"])
        _audit(AuditEvent.Action.CLIENT_REINSTATED, consumer, actor, ip)
    return consumer


@transaction.atomic
def consumer_review(*, consumer, status, note="", actor=None, ip=None):
    """Staff's verdict: approved opens the app to every user; rejected stops it as if revoked. An
    approval after a rejection brings no token back. `note` is shown to the developer."""
    status = ReviewStatus(status)
    if status == ReviewStatus.PENDING:
        raise ValueError("A review accepts or rejects; it cannot make a client pending again.")
    if consumer.is_rejected and status == ReviewStatus.APPROVED:
        _tokens_end(consumer, timezone.now())
    if (consumer.review_status, consumer.review_note) != (status, note):
        consumer.review_status, consumer.review_note = status, note
        consumer.save(update_fields=["review_status", "review_note", "updated"])
        _audit(AuditEvent.Action.CLIENT_REVIEWED, consumer, actor, ip, review_status=status, note=note)
    return consumer


def _tokens_end(consumer, when):
    """Revoke the client's access tokens and end its request tokens, and end its OAuth 2.0 grants.
    Queryset updates send no signal, so the tokens' snapshots are forgotten here (before the commit,
    as every forget is)."""
    live = AccessToken.objects.live().filter(consumer=consumer)
    forget(ACCESS_TOKEN, list(live.values_list("key", flat=True)))
    live.update(revoked_at=when)
    RequestToken.objects.live().filter(consumer=consumer).update(used_at=timezone.now())
    oauth2_grants_end_for_client(client=consumer)


def consumer_mark_used(*, consumer):
    record_last_use(consumer, key=consumer.client_id)


# Which secret in force (`Consumer.secrets_in_force`, in its order) verified a request, by column.
SECRET_LAST_USED = ("client_secret_last_used", "previous_secret_last_used")


def consumer_secret_mark_used(*, consumer, which):
    """Record that a request was verified with the client's current (`which` 0) or previous (1)
    secret, like `record_last_use`: at most about once a minute per worker and secret, so a warm
    request neither queries nor writes. The mark is per version of the client (`updated`): after a
    rotation the new secret's first use is recorded at once. The write is skipped when the client
    changed meanwhile (a rotation between the check and the write), so a use is never put on the
    wrong secret. Reads only what the instance holds: a snapshot without these columns costs no query."""
    field = SECRET_LAST_USED[which]
    loaded = consumer.__dict__
    version = loaded.get("updated")
    mark = ("Consumer", consumer.client_id, field, version)
    clock = time.monotonic()
    if marked_lately(mark, clock):
        return
    now = timezone.now()
    last = loaded.get(field)
    if last and now - last < LAST_USED_RESOLUTION:
        return
    rows = Consumer.objects.filter(pk=consumer.pk, **({} if version is None else {"updated": version}))
    rows.update(**{field: now})
    setattr(consumer, field, now)
    remember_mark(mark, clock)


@transaction.atomic
def consumer_update(*, consumer, name, description="", website="", callback_url="", actor=None, ip=None):
    """Change what the developer may change. Scopes stay as registered: tokens were granted on them.

    While CLIENT_REVIEW is on, a developer's change of what staff reviewed goes back to them: an
    approved app renamed or given another callback (the name users approve, the place they are sent)
    awaits review again; any edit of a rejected app resubmits it, its earlier tokens staying ended as
    after any rejection. Staff editing an app in the admin are its review, as when they register one.
    """
    stored = Consumer.objects.select_for_update().only("name", "callback_url", "review_status").get(pk=consumer.pk)
    # Compared with the stored row: the admin's form has already set the new values on `consumer`.
    reviewed = {"name": name, "callback_url": callback_url}
    changed = any(getattr(stored, field) != value for field, value in reviewed.items())
    resubmit = settings.CLIENT_REVIEW and not getattr(actor, "is_staff", False) and (
        stored.review_status == ReviewStatus.REJECTED
        or (stored.review_status == ReviewStatus.APPROVED and changed))
    fields = ["name", "description", "website", "callback_url", "updated"]
    if resubmit:
        if stored.review_status == ReviewStatus.REJECTED:
            _tokens_end(consumer, timezone.now())
        consumer.review_status = ReviewStatus.PENDING
        fields.append("review_status")
    consumer.name = name
    consumer.description = description
    consumer.website = website
    consumer.callback_url = callback_url
    consumer.save(update_fields=fields)
    # The callback decides where verifiers are sent: a change of it is worth a record.
    _audit(AuditEvent.Action.CLIENT_UPDATED, consumer, actor, ip, name=name, callback_url=callback_url,
           **({"review_status": ReviewStatus.PENDING, "previous_review_status": stored.review_status}
              if resubmit else {}))
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
