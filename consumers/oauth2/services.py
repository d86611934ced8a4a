"""Writes of OAuth 2.0 beyond what django-oauth-toolkit stores: the audit trail of approvals, and
ending everything a user gave a client."""
from django.db import transaction
from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

from audit.models import AuditEvent
from audit.services import audit_record


def authorization_record_approval(*, client, user, scopes, ip=None):
    """A user approved `client` on the consent page: the same event as an OAuth 1.0a approval."""
    return audit_record(action=AuditEvent.Action.TOKEN_APPROVED, actor=user, ip=ip, subject=client.client_id,
                        detail={"user": user.get_username(), "scopes": list(scopes), "protocol": "oauth2"})


@transaction.atomic
def oauth2_tokens_revoke_for_app(*, user, client, actor=None, ip=None):
    """Every OAuth 2.0 token `user` gave `client`: refresh tokens marked revoked (django-oauth-toolkit's
    way, which deletes each one's access token), the other access tokens deleted one by one (their
    signals forget them where they are remembered), unused authorization codes deleted."""
    refresh_tokens = list(get_refresh_token_model().objects.filter(user=user, application=client,
                                                                   revoked__isnull=True))
    for refresh_token in refresh_tokens:
        refresh_token.revoke()
    access_tokens = get_access_token_model().objects.filter(user=user, application=client)
    ended = len(refresh_tokens) + access_tokens.count()
    access_tokens.delete()
    get_grant_model().objects.filter(user=user, application=client).delete()
    if ended:
        audit_record(action=AuditEvent.Action.TOKEN_REVOKED, actor=actor, ip=ip, subject=client.client_id,
                     detail={"user": user.get_username(), "protocol": "oauth2"})
