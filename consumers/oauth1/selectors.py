"""Reads of OAuth 1.0a tokens. Each returns only tokens that may still be used, or None."""
from django.db.models import F

from consumers.oauth1.models import AccessToken, RequestToken


def request_token_get(*, consumer_key, key):
    """A live request token issued to the client with `consumer_key`."""
    return (
        RequestToken.objects.live()
        .select_related("user")
        .filter(consumer__client_id=consumer_key, key=key)
        .first()
    )


def request_token_get_for_authorization(key):
    """A live request token no user has authorized yet, with its client and the client's developer."""
    if not key:
        return None
    return (
        RequestToken.objects.live()
        .select_related("consumer", "consumer__user")
        .annotate(owner_state=F("consumer__user__api_account__state"))
        .filter(key=key, authorized_at__isnull=True)
        .first()
    )


def access_token_get(*, consumer_key, key):
    """A live access token of the client with `consumer_key`, with its user, in one query."""
    return (
        AccessToken.objects.live()
        .select_related("user")
        .filter(consumer__client_id=consumer_key, key=key)
        .first()
    )


def authorized_apps_of(user):
    """The user's access tokens that still work as far as the user is concerned (not revoked)."""
    return (
        AccessToken.objects.live()
        .filter(user=user, consumer__revoked_at__isnull=True)
        .select_related("consumer", "consumer__user")
    )
