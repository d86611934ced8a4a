"""Writes to OAuth 1.0a tokens: issue, authorize, deny, exchange, revoke, last use."""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from access.last_use import record_last_use
from access.refusals import InvalidCredentials
from audit.models import AuditEvent
from audit.services import audit_record
from consumers.oauth1.models import AccessToken, RequestToken
from consumers.oauth1.tokens import generate_oob_verifier, generate_token

REQUEST_TOKEN_LIFETIME = timedelta(minutes=10)
PRUNE_PROBABILITY = 0.01

ALREADY_USED = "The request token was already used."


def request_token_create(*, consumer, key, secret, callback, scopes):
    if random.random() < PRUNE_PROBABILITY:
        request_tokens_prune()
    return RequestToken.objects.create(
        consumer=consumer,
        key=key,
        secret=secret,
        callback=callback,
        scopes=" ".join(scopes),
        expires_at=timezone.now() + REQUEST_TOKEN_LIFETIME,
    )


def request_tokens_prune():
    """Forget expired request tokens; an access token made from one keeps working without it."""
    return RequestToken.objects.filter(expires_at__lt=timezone.now()).delete()[0]


@transaction.atomic
def request_token_authorize(*, request_token, user, ip=None):
    """Bind the token to `user` and give it a verifier; the verifier, or None if it was too late.

    A conditional update, so a token is authorized once, by one user, even when two tabs race.
    The approval is audited with `user` as the actor, from `ip`.
    """
    verifier = generate_oob_verifier() if request_token.is_oob else generate_token()
    authorized = (
        RequestToken.objects.live()
        .filter(pk=request_token.pk, authorized_at__isnull=True)
        .update(user=user, verifier=verifier, authorized_at=timezone.now())
    )
    if not authorized:
        return None
    audit_record(action=AuditEvent.Action.TOKEN_APPROVED, actor=user, ip=ip,
                 subject=request_token.consumer.client_id,
                 detail={"user": user.get_username(), "scopes": request_token.scope_list})
    return verifier


def request_token_deny(*, request_token):
    """The user said no: the token can no longer be authorized or exchanged."""
    RequestToken.objects.live().filter(pk=request_token.pk, authorized_at__isnull=True).update(
        used_at=timezone.now()
    )


@transaction.atomic
def access_token_issue(*, request_token, key, secret):
    """Exchange an authorized request token for an access token, exactly once.

    The conditional UPDATE is the lock: of several concurrent exchanges one updates the row, the
    others find it already used and are refused.
    """
    spent = (
        RequestToken.objects.live()
        .filter(pk=request_token.pk, authorized_at__isnull=False)
        .update(used_at=timezone.now())
    )
    if spent != 1:
        raise InvalidCredentials(ALREADY_USED)
    return AccessToken.objects.create(
        consumer_id=request_token.consumer_id,
        user_id=request_token.user_id,
        request_token=request_token,
        key=key,
        secret=secret,
        scopes=request_token.scopes,
    )


@transaction.atomic
def access_token_revoke(*, access_token, actor=None, ip=None):
    if access_token.revoked_at is None:
        access_token.revoked_at = timezone.now()
        access_token.save(update_fields=["revoked_at"])
        audit_record(action=AuditEvent.Action.TOKEN_REVOKED, actor=actor, ip=ip,
                     subject=access_token.consumer.client_id,
                     detail={"user": access_token.user.get_username(), "access_token_id": access_token.pk})
    return access_token


@transaction.atomic
def access_tokens_revoke_for_app(*, user, consumer, actor=None, ip=None):
    """Every live token `user` gave `consumer`: the app can no longer use the account at all."""
    tokens = AccessToken.objects.live().filter(user=user, consumer=consumer).select_related("consumer", "user")
    for access_token in tokens:
        access_token_revoke(access_token=access_token, actor=actor, ip=ip)


def request_tokens_end_for_app(*, user, consumer):
    """Request tokens `user` authorized for `consumer` that were not yet exchanged: used up, so that
    none becomes an access token after she revoked the app."""
    RequestToken.objects.live().filter(user=user, consumer=consumer, authorized_at__isnull=False).update(
        used_at=timezone.now())


def access_token_mark_used(*, access_token):
    record_last_use(access_token, key=access_token.key)
