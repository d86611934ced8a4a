"""Each refused API request noted on the app its credentials named, for the app's usage page
(`consumers.usage`): called where an answer's scheme, outcome and reason code are known once, the
metrics middleware (`apiv2.request_metrics`).

The app is the one the request authenticated with (a scope refusal, a rate limit, a view's 404), else
the one its credentials named, told as each scheme reads them: Basic's client key, OAuth 1.0a's
`oauth_consumer_key`, a Bearer token's client (expired tokens included). Noting costs the refusal one
write (and, for a key not yet authenticated, the lookup that it exists); a served request pays nothing
here. Noting never changes the answer: when it fails, the refusal goes unnoted.
"""
import logging

from access.client_address import client_address
from access.refusals import Refusal
from apiv2.schemes.basic import client_key_from
from apiv2.schemes.oauth2 import bearer_token
from apiv2.throttling import counted_by_throttle
from consumers.gate import BASIC, OAUTH1, OAUTH2
from consumers.oauth1 import bridge
from consumers.oauth2.bearer_tokens import bearer_token_client_key
from consumers.usage import consumer_refusal_record

logger = logging.getLogger("apiv2.usage")


def refusal_note(request, response, *, scheme, reason):
    """Note the refusal `response` answers `request` with, when its credentials name a client."""
    try:
        client_key, known = client_key_named(request, scheme)
        if client_key:
            consumer_refusal_record(client_key=client_key, known=known, reason=reason,
                                    counted=counted_by_throttle(response), method=request.method,
                                    path=request.path, scheme=scheme, address=client_address(request))
    except Exception as error:  # noqa: BLE001 - a note is optional: the answer stands as decided
        logger.warning("refusal not noted: %s", error.__class__.__name__)


def client_key_named(request, scheme):
    """(client key, known): the key of the client the request authenticated with (known to exist),
    else the one its credentials named in `scheme` (which may not exist), else ""."""
    consumer = getattr(getattr(request, "auth", None), "consumer", None)
    if consumer is not None:
        return consumer.client_id, True
    if scheme == BASIC:
        return client_key_from(request), False
    if scheme == OAUTH1:
        try:
            signed = bridge.read(request)
        except Refusal:  # malformed: no key to trust the reading of
            return "", False
        return (signed.client_key or "") if signed is not None else "", False
    if scheme == OAUTH2:
        token = bearer_token(request)
        return (bearer_token_client_key(token), True) if token else ("", False)
    return "", False
