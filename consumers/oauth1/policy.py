"""The OAuth 1.0a rules that are ours rather than the RFC's (docs/contract.md, "OAuth 1.0a"): callbacks,
scopes, PLAINTEXT.

Each answers with the refusal or nothing, like the gate (`consumers.gate`).
They run only once a request is authenticated, so an answer never tells a stranger what is registered.
"""
from urllib.parse import unquote, urlsplit

from django.conf import settings
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT

from access.refusals import InsufficientScope, MalformedRequest
from consumers.scopes import parse_scopes

OOB = "oob"
MAX_CALLBACK_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}
PLAINTEXT_OVER_HTTP = "The PLAINTEXT signature method is accepted only over HTTPS."


def plaintext_refusal(signature_method, is_secure):
    """PLAINTEXT sends the secrets as they are: only over HTTPS, unless the deployment is in debug."""
    if signature_method == SIGNATURE_PLAINTEXT and not is_secure and not settings.DEBUG:
        return MalformedRequest(PLAINTEXT_OVER_HTTP)
    return None


def callback_refusal(consumer, callback):
    """`oob`, or a URL under the client's registered callback: same scheme, host and port, and a path
    below the registered one on a segment boundary. Refused at the request-token step (400)."""
    if callback == OOB:
        return None
    if not consumer.callback_url:
        return MalformedRequest("This client has no registered callback URL: oauth_callback must be 'oob'.")
    if not is_under_callback(callback, consumer.callback_url):
        return MalformedRequest("oauth_callback must be 'oob' or a URL under the client's registered callback URL.")
    return None


def granted_scopes(consumer, requested):
    """The scopes a request token carries: those asked for, else the client's own.

    Asking for a scope the client does not hold is 403 `Insufficient scope` (the client's credentials
    lack a scope the request needs, as docs/contract.md, "Every error", words that row); an unknown
    scope name is 400.
    """
    if not (requested or "").strip():
        return tuple(consumer.scope_list)
    try:
        names = parse_scopes(requested)
    except ValueError as error:
        raise MalformedRequest(str(error)) from None
    for name in names:
        if name not in consumer.scope_list:
            raise InsufficientScope(name)
    return names


def is_under_callback(callback, registered):
    """The one callback rule, for OAuth 1.0a's `oauth_callback` and OAuth 2.0's `redirect_uri`."""
    if len(callback) > MAX_CALLBACK_LENGTH or not callback.isprintable() or any(c in callback for c in " \\"):
        return False  # browsers read backslashes and spaces differently from urlsplit
    try:
        wanted, allowed = urlsplit(callback), urlsplit(registered)
        same_origin = (
            wanted.scheme.lower() == allowed.scheme.lower() in DEFAULT_PORTS
            and wanted.username is None and wanted.password is None
            and wanted.hostname is not None and wanted.hostname == allowed.hostname
            and _port(wanted) == _port(allowed)
        )
    except ValueError:  # a port that is not a number
        return False
    if not same_origin:
        return False
    # Dot segments (also percent-encoded) would climb out of the registered path once a browser
    # normalizes the URL.
    if any(segment in {".", ".."} for segment in unquote(wanted.path).split("/")):
        return False
    path, prefix = wanted.path or "/", allowed.path or "/"
    if prefix.endswith("/"):
        return path.startswith(prefix)
    return path == prefix or path.startswith(prefix + "/")


def _port(parts):
    return parts.port or DEFAULT_PORTS[parts.scheme.lower()]
