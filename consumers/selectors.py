"""Reads of registered clients."""
from django.db.models import F

from consumers.models import Consumer


def consumer_get_by_key(client_key):
    """The client with this key, revoked or not, or None: with its owner and the owner's account
    state (`owner_state`, None meaning active), all in one query."""
    if not client_key:
        return None
    return (
        Consumer.objects.select_related("user")
        .annotate(owner_state=F("user__api_account__state"))
        .filter(client_id=client_key)
        .first()
    )


def consumers_of(user):
    return Consumer.objects.filter(user=user)
