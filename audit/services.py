"""Writing the audit trail. Called by the services that make the changes, inside their transaction,
so an event is recorded exactly when its change is."""
import ipaddress

from audit.models import AuditEvent

SUBJECT_LENGTH = AuditEvent._meta.get_field("subject").max_length


def audit_record(*, action, actor=None, ip=None, subject="", detail=None):
    """Record `action` on `subject` by `actor` (a user, or None for commands) from `ip`.

    Never pass a secret in `subject` or `detail`.
    """
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_ip=_valid_ip(ip),
        subject=subject[:SUBJECT_LENGTH],
        detail=detail or {},
    )


def _valid_ip(ip):
    """The column is an IP address: anything else (a unix-socket peer, "unknown") is left empty."""
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None
