"""Reads of registered clients."""
from consumers.models import Consumer


def consumer_get_by_key(client_key):
    """The client with this key, revoked or not, or None."""
    if not client_key:
        return None
    return Consumer.objects.select_related("user").filter(client_id=client_key).first()


def consumers_of(user):
    return Consumer.objects.filter(user=user)
