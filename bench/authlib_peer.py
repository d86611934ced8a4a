"""The peer: the same products list behind Authlib's Django OAuth 1 ResourceProtector.

Bench harness only. Authlib asks for model classes with `objects.get(...)`; these adapters answer
from our own tables so both sides read the same rows.
"""
from authlib.integrations.django_oauth1 import ResourceProtector
from authlib.oauth1.errors import OAuth1Error
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from consumers.models import Consumer
from consumers.oauth1.models import AccessToken


class _Lookup:
    def __init__(self, load, missing):
        self.load, self.missing = load, missing

    def get(self, **filters):
        found = self.load(**filters)
        if found is None:
            raise self.missing
        return found


class AuthlibClient:
    DoesNotExist = Consumer.DoesNotExist

    def __init__(self, consumer):
        self.consumer = consumer
        self.client_id = consumer.client_id

    def get_client_secret(self):
        return self.consumer.client_secret

    def get_rsa_public_key(self):
        return None

    def get_default_redirect_uri(self):
        return self.consumer.callback_url or "oob"


class AuthlibToken:
    DoesNotExist = AccessToken.DoesNotExist

    def __init__(self, token):
        self.token = token
        self.user = token.user

    def get_oauth_token_secret(self):
        return self.token.secret


def _client(client_id):
    consumer = Consumer.objects.filter(client_id=client_id).first()
    return AuthlibClient(consumer) if consumer else None


def _token(client_id, oauth_token):
    token = (AccessToken.objects.select_related("user")
             .filter(consumer__client_id=client_id, key=oauth_token, revoked_at__isnull=True).first())
    return AuthlibToken(token) if token else None


AuthlibClient.objects = _Lookup(_client, AuthlibClient.DoesNotExist)
AuthlibToken.objects = _Lookup(_token, AuthlibToken.DoesNotExist)
protector = ResourceProtector(AuthlibClient, AuthlibToken)


class AuthlibOAuth1Authentication(BaseAuthentication):
    def authenticate(self, request):
        try:
            credential = protector.acquire_credential(request._request)
        except OAuth1Error as error:
            raise AuthenticationFailed(error.description or "OAuth 1 error") from None
        return credential.user, credential

    def authenticate_header(self, request):
        return 'OAuth realm="bench"'
