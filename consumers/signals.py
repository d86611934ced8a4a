"""Forget cached credential lookups whenever a client, a token, a user or an account state changes.

Signals, not service calls, because these rows are also written by the admin, by Django's auth
(password changes, last login) and by other apps' services: every save must invalidate. A forget that
cannot reach the shared store raises, so the save's transaction (and the change) is undone.
"""
from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from oauth2_provider.models import get_access_token_model
from oauth2_provider.settings import oauth2_settings

from access.store.connection import in_use as redis_in_use
from accounts.models import ApiAccount
from consumers.lookup_cache import ACCESS_TOKEN, BEARER_TOKEN, CONSUMER, forget, forget_digests
from consumers.models import Consumer
from consumers.oauth1.models import AccessToken


@receiver([post_save, post_delete], sender=Consumer)
def forget_changed_consumer(sender, instance, created=False, **kwargs):
    if created:
        return  # a new random key: nothing can be remembered of it
    forget(CONSUMER, [instance.client_id])
    forget_bearer_tokens(Q(application_id=instance.pk, user__isnull=True))  # they act for its owner


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
        return  # nothing is remembered: save the queries
    forget(CONSUMER, Consumer.objects.filter(user_id=user_id).values_list("client_id", flat=True))
    forget(ACCESS_TOKEN, AccessToken.objects.filter(user_id=user_id).values_list("key", flat=True))
    # Its OAuth 2.0 tokens, and its clients' client-credentials tokens (they act for their owner).
    forget_bearer_tokens(Q(user_id=user_id) | Q(user__isnull=True, application__user_id=user_id))


@receiver(pre_save, sender=oauth2_settings.ACCESS_TOKEN_MODEL)
def forget_rewritten_bearer_token(sender, instance, **kwargs):
    """A saved token may have been given a new value in place (django-oauth-toolkit does so when it
    refreshes without rotating): the value it had is what was remembered."""
    if instance.pk is not None:
        forget_bearer_tokens(Q(pk=instance.pk))


@receiver(post_delete, sender=oauth2_settings.ACCESS_TOKEN_MODEL)
def forget_deleted_bearer_token(sender, instance, **kwargs):
    """django-oauth-toolkit revokes an access token by deleting it (its refresh token's revocation,
    RFC 7009 and our authorized-apps page included)."""
    forget_digests(BEARER_TOKEN, [instance.token_checksum])


def forget_bearer_tokens(condition):
    if not redis_in_use():
        return
    forget_digests(BEARER_TOKEN, get_access_token_model().objects.filter(condition)
                   .values_list("token_checksum", flat=True))
