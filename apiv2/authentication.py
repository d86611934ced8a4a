"""HTTP Basic plus a client key, checked in CONTRACT.md's order; the first failure answers.

key present (400) -> credentials valid (401) -> key known and active (403) -> key owned by the
authenticated account (403) -> account state (403). Scope is checked by `apiv2.permissions`.
"""
import base64
import binascii

from django.views.decorators.debug import sensitive_variables
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.policy import account_refusal
from accounts.verified_passwords import PasswordCheck
from apiproject.shared_cache import cache_get_many
from apiv2.credentials import ApiCredentials
from apiv2.errors import ClientKeyMissing, ClientKeyNotOwned, CouldNotAuthenticate
from consumers.lookup_cache import CONSUMER, snapshot_key
from consumers.policy import client_key_refusal
from consumers.selectors import consumer_get_by_key
from consumers.services import consumer_mark_used


def client_key_from(request):
    """`X-Client-Key` wins over the `client_key` query parameter."""
    return request.headers.get("X-Client-Key") or request.query_params.get("client_key") or ""


@sensitive_variables("header", "encoded", "decoded", "password")
def parse_basic_credentials(header):
    """(username, password) from a `Basic` header's bytes; CouldNotAuthenticate when malformed."""
    parts = header.split()
    if len(parts) != 2:
        raise CouldNotAuthenticate("Malformed Basic credentials.")
    encoded = parts[1]
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise CouldNotAuthenticate("Malformed Basic credentials.") from None
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        raise CouldNotAuthenticate("Malformed Basic credentials.")
    return username, password


class ClientKeyBasicAuthentication(BaseAuthentication):
    www_authenticate_realm = "api"

    @sensitive_variables("header", "password")
    def authenticate(self, request):
        header = get_authorization_header(request)
        scheme = header.split()[:1]
        if not scheme or scheme[0].lower() != b"basic":
            return None
        client_key = client_key_from(request)
        if not client_key:
            raise ClientKeyMissing()
        username, password = parse_basic_credentials(header)
        # The key's snapshot, the remembered password and the failed-login counters in one cache
        # round trip; the key first (it is needed anyway) so a remembered password costs no query.
        # The answers still come in the contract's order.
        check = PasswordCheck(request._request, username, password)
        found = cache_get_many([snapshot_key(CONSUMER, client_key), *check.cache_names]) or {}
        consumer = consumer_get_by_key(client_key, found=found)
        user = check.verified_user(found, likely_user=consumer.user if consumer else None)
        if user is None:
            raise CouldNotAuthenticate()
        refusal = client_key_refusal(consumer)
        if refusal is None and consumer.user_id != user.pk:
            refusal = ClientKeyNotOwned()
        # The owner is the authenticated account here, so its state came with the key.
        refusal = refusal or account_refusal(consumer.user)
        if refusal is not None:
            raise refusal
        consumer_mark_used(consumer=consumer)
        return user, ApiCredentials(scheme="basic", consumer=consumer, scopes=tuple(consumer.scope_list))

    def authenticate_header(self, request):
        return f'Basic realm="{self.www_authenticate_realm}", charset="UTF-8"'
