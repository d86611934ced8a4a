"""Writes of OAuth 2.0 beyond what django-oauth-toolkit stores: the audit trail of approvals."""
from audit.models import AuditEvent
from audit.services import audit_record


def authorization_record_approval(*, client, user, scopes, ip=None):
    """A user approved `client` on the consent page: the same event as an OAuth 1.0a approval."""
    return audit_record(action=AuditEvent.Action.TOKEN_APPROVED, actor=user, ip=ip, subject=client.client_id,
                        detail={"user": user.get_username(), "scopes": list(scopes), "protocol": "oauth2"})
