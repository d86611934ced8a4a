"""Forget cached credential lookups whenever a client, a token, a user or an account state changes.

Signals, not service calls, because these rows are also written by the admin, by Django's auth
(password changes, last login) and by other apps' services: every save must invalidate. A forget that
cannot reach the shared store raises, so the save's transaction (and the change) is undone.
"""
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from access.shared_state import redis_in_use
from accounts.models import ApiAccount
from consumers.lookup_cache import ACCESS_TOKEN, CONSUMER, forget
from consumers.models import Consumer
from consumers.oauth1.models import AccessToken


@receiver([post_save, post_delete], sender=Consumer)
def forget_changed_consumer(sender, instance, created=False, **kwargs):
    if created:
        return  # a new random key: nothing can be remembered of it
    forget(CONSUMER, [instance.client_id])


@receiver([post_save, post_delete], sender=AccessToken)
def forget_changed_access_token(sender, instance, created=False, **kwargs):
    if created:
        return
    forget(ACCESS_TOKEN, [instance.key])


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def forget_credentials_of_changed_user(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing a snapshot decides with
    forget_credentials_of(instance.pk)


@receiver([post_save, post_delete], sender=ApiAccount)
def forget_credentials_of_changed_account(sender, instance, **kwargs):
    forget_credentials_of(instance.user_id)


def forget_credentials_of(user_id):
    """The user's own clients (as owner) and the access tokens that act for the user."""
    if not redis_in_use():
        return  # nothing is remembered: save the two queries
    forget(CONSUMER, Consumer.objects.filter(user_id=user_id).values_list("client_id", flat=True))
    forget(ACCESS_TOKEN, AccessToken.objects.filter(user_id=user_id).values_list("key", flat=True))
