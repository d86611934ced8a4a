"""HTTP Basic plus a client key, for a developer's own account, checked in the contract's order
(docs/contract.md, "HTTP Basic").

key present (400) -> credentials valid (401) -> the gate: key known and active (403), key owned by
the authenticated account (403), account state (403). Scope is the view's (`apiv2.permissions`).
"""
import base64
import binascii

from django.views.decorators.debug import sensitive_variables

from access.credentials import ApiCredentials
from access.refusals import ClientKeyMissing, InvalidCredentials, refuse_if
from access.store.reads import fetch
from accounts.verified_passwords import PasswordCheck
from apiv2.schemes import Scheme, authorization_words
from consumers.gate import BASIC, gate
from consumers.lookup_cache import CONSUMER, snapshot_key
from consumers.selectors import consumer_get_by_key
from consumers.services import consumer_mark_used


def client_key_from(request):
    """`X-Client-Key` wins over the `client_key` query parameter. (Read from META: `request.headers`
    would first copy every header of the request. `GET` is what DRF's `query_params` is, and Django's
    request has it too.)"""
    return request.META.get("HTTP_X_CLIENT_KEY") or request.GET.get("client_key") or ""


@sensitive_variables("words", "encoded", "decoded", "password")
def parse_basic_credentials(words):
    """(username, password) from a `Basic` header's words (`authorization_words`); InvalidCredentials
    when malformed (base64 of anything but ASCII included)."""
    if len(words) != 2:
        raise InvalidCredentials("Malformed Basic credentials.")
    encoded = words[1]
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise InvalidCredentials("Malformed Basic credentials.") from None
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        raise InvalidCredentials("Malformed Basic credentials.")
    return username, password


class ClientKeyBasicAuthentication(Scheme):
    challenge = 'Basic realm="api", charset="UTF-8"'

    @sensitive_variables("words", "password")
    def credentials(self, request):
        words = authorization_words(request)
        if not words or words[0].lower() != "basic":
            return None
        client_key = client_key_from(request)
        if not client_key:
            raise ClientKeyMissing()
        username, password = parse_basic_credentials(words)
        # The key's snapshot, the remembered password and the failed-login counters in one round trip;
        # the key first (it is needed anyway) so a remembered password costs no query. The answers
        # still come in the contract's order.
        check = PasswordCheck(request, username, password)
        found = fetch(snapshots=[snapshot_key(CONSUMER, client_key)], remembered=check.remembered_names,
                      counters=check.counter_names)
        consumer = consumer_get_by_key(client_key, found=found)
        user = check.verified_user(found, likely_user=consumer.user if consumer else None)
        if user is None:
            raise InvalidCredentials()
        refuse_if(gate(client=consumer, user=user, scheme=BASIC))
        consumer_mark_used(consumer=consumer)
        return user, ApiCredentials(scheme=BASIC, consumer=consumer, scopes=tuple(consumer.scope_list))
