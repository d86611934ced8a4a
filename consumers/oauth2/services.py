"""Writes of OAuth 2.0 beyond what django-oauth-toolkit stores: the audit trail of approvals, ending
everything a user gave a client, everything any user gave a client staff revoked or rejected, and
staff revoking one token."""
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_device_grant_model,
    get_grant_model,
    get_refresh_token_model,
    revoke_access_token,
)

from audit.models import AuditEvent
from audit.services import audit_record


def authorization_record_approval(*, client, user, scopes, ip=None):
    """A user approved `client` on the consent page: the same event as an OAuth 1.0a approval."""
    return audit_record(action=AuditEvent.Action.TOKEN_APPROVED, actor=user, ip=ip, subject=client.client_id,
                        detail={"user": user.get_username(), "scopes": list(scopes), "protocol": "oauth2"})


@transaction.atomic
def oauth2_tokens_revoke_for_app(*, user, client, actor=None, ip=None):
    """Every OAuth 2.0 grant `user` gave `client`: refresh tokens marked revoked (django-oauth-toolkit's
    way, which deletes each one's access token), the other access tokens deleted one by one (their
    signals forget them where they are remembered), unused authorization codes deleted, and device
    codes she approved that the device has not yet polled for denied (its next poll gets
    `access_denied`)."""
    refresh_tokens = list(get_refresh_token_model().objects.filter(user=user, application=client,
                                                                   revoked__isnull=True))
    for refresh_token in refresh_tokens:
        refresh_token.revoke()
    access_tokens = get_access_token_model().objects.filter(user=user, application=client)
    ended = len(refresh_tokens) + access_tokens.count()
    access_tokens.delete()
    get_grant_model().objects.filter(user=user, application=client).delete()
    devices = get_device_grant_model()
    ended += devices.objects.filter(client_id=client.client_id, user=user, status=devices.AUTHORIZED).update(
        status=devices.DENIED)
    if ended:
        audit_record(action=AuditEvent.Action.TOKEN_REVOKED, actor=actor, ip=ip, subject=client.client_id,
                     detail={"user": user.get_username(), "protocol": "oauth2"})


def oauth2_grants_end_for_client(*, client):
    """Every OAuth 2.0 grant of `client`, whoever gave it: for a client staff revoked or rejected, so
    that reinstating or accepting it brings none back (as for OAuth 1.0a). Refresh tokens are marked
    revoked (kept: a later use of one ends nothing more but is known), access tokens deleted one by
    one (their signals forget them), unused codes deleted, device codes not yet spent denied. The
    caller, a staff service, audits."""
    now = timezone.now()
    get_refresh_token_model().objects.filter(application=client, revoked__isnull=True).update(
        revoked=now, updated=now)
    get_access_token_model().objects.filter(application=client).delete()
    get_grant_model().objects.filter(application=client).delete()
    devices = get_device_grant_model()
    devices.objects.filter(client_id=client.client_id, status__in=[devices.AUTHORIZATION_PENDING, devices.AUTHORIZED]
                           ).update(status=devices.DENIED)


@transaction.atomic
def oauth2_token_revoke(*, token, actor=None, ip=None):
    """Staff revoke one OAuth 2.0 access or refresh token: its whole grant ends (every token of its
    family, RFC 7009 §2.1's rule), audited."""
    refresh_tokens = get_refresh_token_model()
    if isinstance(token, refresh_tokens):
        family, client, user, kind = token.token_family, token.application, token.user, "refresh_token"
    else:
        family = (refresh_tokens.objects.filter(access_token=token).values_list("token_family", flat=True).first())
        client, user, kind = token.application, token.user, "access_token"
    if family is not None:
        refresh_tokens.revoke_family(family)
    elif isinstance(token, refresh_tokens):
        token.revoke()
    else:
        revoke_access_token(token)
    audit_record(action=AuditEvent.Action.TOKEN_REVOKED, actor=actor, ip=ip,
                 subject=client.client_id if client is not None else "",
                 detail={"user": user.get_username() if user is not None else None, "protocol": "oauth2",
                         kind + "_id": token.pk})
