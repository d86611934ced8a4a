"""Reads of registered clients."""
from django.db.models import F

from accounts.verified_passwords import fingerprint_of_hash
from consumers.lookup_cache import UNKNOWN, remember_consumer, remembered_consumer
from consumers.models import Consumer


def consumer_get_by_key(client_key):
    """The client with this key, revoked or not, or None: with its owner and the owner's account
    state (`owner_state`, None meaning active), from the shared cache or in one query."""
    if not client_key:
        return None
    consumer = remembered_consumer(client_key)
    if consumer == UNKNOWN:
        return None
    if consumer is None:
        consumer = (
            Consumer.objects.select_related("user")
            .defer("user__password")
            .annotate(owner_state=F("user__api_account__state"), owner_password=F("user__password"))
            .filter(client_id=client_key)
            .first()
        )
        if consumer is not None:
            # The cached copy carries a keyed digest of the owner's password hash, never the hash.
            consumer.user.password_fingerprint = fingerprint_of_hash(consumer.owner_password)
            del consumer.owner_password
        remember_consumer(client_key, consumer)
    return consumer


def consumers_of(user):
    return Consumer.objects.filter(user=user)
