"""Reads of the audit trail for the developer it concerns: an app's security log (its changes, found by
its client key) and an account's (found by its username), newest first, each event in words with when,
who ("you", "staff", "the system") and, for the developer's own acts, the address they came from.

Staff are never named to a developer, nor their addresses shown: "staff" says enough, and where staff
work from is not the developer's to know. Only staff change another person's app or account (the pages
show a developer only their own), so any actor who is not the owner acted as staff.
"""
from dataclasses import dataclass
from datetime import datetime

from audit.developer_words import event_words
from audit.models import AuditEvent

Action = AuditEvent.Action
LOG_LENGTH = 50  # the most recent events a page shows
# What changes an app. Token approvals and revocations are its users' acts on their own accounts: the app
# page counts them (`consumers.selectors.consumer_authorizations`) and names no one.
CLIENT_CHANGES = (Action.CLIENT_REGISTERED, Action.CLIENT_UPDATED, Action.CLIENT_SECRET_ROTATED,
                  Action.CLIENT_REVOKED, Action.CLIENT_REINSTATED, Action.CLIENT_REVIEWED)
ACCOUNT_CHANGES = (Action.ACCOUNT_STATE_CHANGED, Action.PAYMENT_RECEIVED, Action.API_PASSWORD_CREATED,
                   Action.API_PASSWORD_REVOKED, Action.BASIC_SIGN_IN_PASSWORD_SET, Action.FAILED_LOGINS_CLEARED)
YOU, STAFF, SYSTEM = "you", "staff", "the system"


@dataclass(frozen=True)
class SecurityLogEntry:
    when: datetime
    what: str  # what happened, in words (`developer_words`)
    by: str  # YOU, STAFF or SYSTEM
    address: str  # the client address of the developer's own act; empty for staff's and the system's


def client_security_log(consumer, *, limit=LOG_LENGTH):
    """The changes to `consumer` (the caller has checked the viewer owns it), newest first."""
    return _log(subject=consumer.client_id, since=consumer.created, actions=CLIENT_CHANGES,
                owner_id=consumer.user_id, limit=limit)


def account_security_log(user, *, limit=LOG_LENGTH):
    """The changes to `user`'s account, newest first: the log of the signed-in user only.

    The trail names an account by its username, which outlives it: the events of an account deleted (or
    renamed) before this one took the name are another person's, and are left out (`since`)."""
    return _log(subject=user.get_username(), since=user.date_joined, actions=ACCOUNT_CHANGES, owner_id=user.pk,
                limit=limit)


def _log(*, subject, since, actions, owner_id, limit):
    events = (AuditEvent.objects.filter(subject=subject, created__gte=since, action__in=actions)
              .only("created", "action", "actor_id", "actor_ip", "detail")[:limit])
    return [_entry(event, owner_id) for event in events]


def _entry(event, owner_id):
    by = SYSTEM if event.actor_id is None else YOU if event.actor_id == owner_id else STAFF
    return SecurityLogEntry(when=event.created, what=event_words(event), by=by,
                            address=(event.actor_ip or "") if by == YOU else "")
