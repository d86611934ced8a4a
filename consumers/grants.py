"""What users granted a client, whatever the protocol: the apps a user authorized (OAuth 1.0a access
tokens and OAuth 2.0 tokens together, one row per app), revoking all of one app's at once, and
which grant types a client is used with (for its developer).
"""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_device_grant_model, get_refresh_token_model

from consumers.models import Consumer
from consumers.oauth1.models import AccessToken as OAuth1AccessToken
from consumers.oauth1.selectors import authorized_apps_of
from consumers.oauth1.services import access_tokens_revoke_for_app, request_tokens_end_for_app
from consumers.oauth2.services import oauth2_tokens_revoke_for_app
from consumers.scopes import scopes_in_words

OAUTH1 = "OAuth 1.0a"
OAUTH2 = "OAuth 2.0"


class AuthorizedApp:
    """One app a user authorized, however many tokens of either protocol she gave it: the scopes of all
    of them (with their words, as the consent page says them), when she first authorized it, when it
    last used her access (a request with an OAuth 1.0a token, marked about once a minute; for OAuth 2.0,
    whose tokens keep no such mark, the last token it got: a code or a refresh token used), and
    through which protocols."""

    def __init__(self, consumer, oauth1_tokens, oauth2_tokens):
        self.consumer = consumer
        self.token = oauth1_tokens[0] if oauth1_tokens else None
        scopes = [token.scope_list for token in oauth1_tokens] + [scopes for _, _, scopes in oauth2_tokens]
        self.scope_list = sorted({scope for token_scopes in scopes for scope in token_scopes})
        self.scopes = scopes_in_words(self.scope_list)
        self.authorized = min([token.created for token in oauth1_tokens] + [created for _, created, _ in oauth2_tokens])
        used = [token.last_used for token in oauth1_tokens if token.last_used]
        used += [created for _, created, _ in oauth2_tokens]
        self.last_used = max(used) if used else None
        self.protocols = [name for name, tokens in ((OAUTH1, oauth1_tokens), (OAUTH2, oauth2_tokens)) if tokens]


def authorized_app_rows(user):
    """The apps the user authorized and may still be used for her, one row per app."""
    oauth1 = {}
    for token in authorized_apps_of(user):
        oauth1.setdefault(token.consumer_id, []).append(token)
    oauth2 = {}
    for token in _oauth2_tokens_of(user):
        oauth2.setdefault(token[0], []).append(token)
    consumers = {consumer.pk: consumer for consumer in
                 Consumer.objects.select_related("user").filter(pk__in=set(oauth1) | set(oauth2))}
    rows = [AuthorizedApp(consumer, oauth1.get(pk, []), oauth2.get(pk, [])) for pk, consumer in consumers.items()]
    return sorted(rows, key=lambda row: row.authorized, reverse=True)


def authorized_app_get(user, consumer_pk):
    """The client `consumer_pk` when the user authorized it (a token of either protocol), else None."""
    consumer = Consumer.objects.active().filter(pk=consumer_pk).first()
    if consumer is None:
        return None
    if authorized_apps_of(user).filter(consumer=consumer).exists() or _oauth2_tokens_of(user, application=consumer):
        return consumer
    return None


@transaction.atomic
def authorized_app_revoke(*, user, consumer, actor=None, ip=None):
    """Every token `user` gave `consumer`, both protocols', refresh tokens, unused authorization codes,
    approved device codes and authorized OAuth 1.0a request tokens not yet exchanged too: the app can
    no longer use the account at all, from the next request on."""
    access_tokens_revoke_for_app(user=user, consumer=consumer, actor=actor, ip=ip)
    request_tokens_end_for_app(user=user, consumer=consumer)
    oauth2_tokens_revoke_for_app(user=user, client=consumer, actor=actor, ip=ip)


def consumer_grant_types(consumer):
    """The ways the client has been given access, in words, from what was issued to it (revoked OAuth
    1.0a tokens and refresh tokens too): OAuth 1.0a, and the OAuth 2.0 grant types. A token keeps no
    grant type: one that acts for a user reads as the authorization code (a device or an exchanged
    token too), an approved device code adds "device code", one without a user is client credentials."""
    used = []
    if OAuth1AccessToken.objects.filter(consumer=consumer).exists():
        used.append(OAUTH1)
    with_user = Q(user__isnull=False)
    if get_refresh_token_model().objects.filter(application=consumer).exists() or \
            get_access_token_model().objects.filter(with_user, application=consumer).exists():
        used.append("authorization code")
    devices = get_device_grant_model()
    if devices.objects.filter(client_id=consumer.client_id, status=devices.AUTHORIZED).exists():
        used.append("device code")
    if get_access_token_model().objects.filter(application=consumer, user__isnull=True).exists():
        used.append("client credentials")
    return used


def _oauth2_tokens_of(user, **lookup):
    """(client id, created, scopes) of the user's live access tokens and of her refresh tokens that can
    still mint one: either keeps the app authorized."""
    apps_in_force = {"user": user, "application__revoked_at__isnull": True, **lookup}
    access = get_access_token_model().objects.filter(expires__gt=timezone.now(), **apps_in_force)
    refresh = (get_refresh_token_model().objects.filter(revoked__isnull=True, **apps_in_force)
               .select_related("access_token"))
    return ([(token.application_id, token.created, token.scope.split()) for token in access]
            + [(token.application_id, token.created, token.access_token.scope.split() if token.access_token else [])
               for token in refresh])
