"""Forget cached client lookups whenever a client, its owner or the owner's account state changes.

Signals, not service calls, because these rows are also written by the admin, by Django's auth
(password changes, last login) and by other apps' services: every save must invalidate.
"""
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import ApiAccount
from consumers.lookup_cache import forget_consumers
from consumers.models import Consumer


@receiver([post_save, post_delete], sender=Consumer)
def forget_changed_consumer(sender, instance, **kwargs):
    forget_consumers([instance.client_id])


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def forget_consumers_of_changed_user(sender, instance, **kwargs):
    forget_consumers(Consumer.objects.filter(user_id=instance.pk).values_list("client_id", flat=True))


@receiver([post_save, post_delete], sender=ApiAccount)
def forget_consumers_of_changed_account(sender, instance, **kwargs):
    forget_consumers(Consumer.objects.filter(user_id=instance.user_id).values_list("client_id", flat=True))
