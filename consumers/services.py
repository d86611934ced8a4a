"""Writes to registered clients: registration, secret rotation, revocation, last use."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from consumers.lookup_cache import CONSUMER, forget
from consumers.models import Consumer, generate_client_secret
from consumers.scopes import ALL_SCOPES, parse_scopes

LAST_USED_RESOLUTION = timedelta(minutes=1)


def consumer_register(*, user, name, scopes=None, callback_url="", description="", website=""):
    """Register a client for `user`. `scopes` is space-separated text or a list; None means all."""
    if scopes is None:
        scope_names = ALL_SCOPES
    else:
        scope_names = parse_scopes(scopes if isinstance(scopes, str) else " ".join(scopes))
    if not scope_names:
        raise ValueError("A client needs at least one scope.")
    return Consumer.objects.create(
        user=user,
        name=name,
        scopes=" ".join(scope_names),
        callback_url=callback_url,
        description=description,
        website=website,
    )


@transaction.atomic
def consumer_secret_rotate(*, consumer):
    """A new secret; the old one stops working at once."""
    consumer.client_secret = generate_client_secret()
    consumer.save(update_fields=["client_secret", "updated"])
    return consumer.client_secret


def consumer_revoke(*, consumer):
    if consumer.revoked_at is None:
        consumer.revoked_at = timezone.now()
        consumer.save(update_fields=["revoked_at", "updated"])
    return consumer


def consumer_mark_used(*, consumer):
    """Record use at most once a minute, so busy clients do not write on every request."""
    now = timezone.now()
    if consumer.last_used and now - consumer.last_used < LAST_USED_RESOLUTION:
        return
    Consumer.objects.filter(pk=consumer.pk).update(last_used=now)
    consumer.last_used = now
    forget(CONSUMER, [consumer.client_id])  # update() sends no signal; the snapshot holds last_used


def consumer_update(*, consumer, name, description="", website="", callback_url=""):
    """Change what the developer may change. Scopes stay as registered: tokens were granted on them."""
    consumer.name = name
    consumer.description = description
    consumer.website = website
    consumer.callback_url = callback_url
    consumer.save(update_fields=["name", "description", "website", "callback_url", "updated"])
    return consumer
