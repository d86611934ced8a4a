"""Sign requests the way an RFC 5849 client does (oauthlib's `Client`) and send them to Django's test
client; for the tests that are about one refusal each, where a live server adds nothing."""
from urllib.parse import urlencode

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_BODY, Client

FORM = "application/x-www-form-urlencoded"
ORIGIN = "http://testserver"


def sign(method, path, consumer, *, token=None, verifier=None, callback=None, params=None,
         signature_method=SIGNATURE_HMAC_SHA1, signature_type=SIGNATURE_TYPE_AUTH_HEADER,
         consumer_secret=None, token_secret=None, nonce=None, timestamp=None, origin=ORIGIN):
    """(uri, headers, body) as a client would send them. `token` is a RequestToken or AccessToken."""
    client = Client(
        consumer.client_key,
        client_secret=consumer.client_secret if consumer_secret is None else consumer_secret,
        resource_owner_key=token.key if token is not None else None,
        resource_owner_secret=(token.secret if token is not None else None) if token_secret is None else token_secret,
        verifier=verifier,
        callback_uri=callback,
        signature_method=signature_method,
        signature_type=signature_type,
        nonce=nonce,
        timestamp=timestamp,
    )
    body = urlencode(params) if params is not None else ("" if signature_type == SIGNATURE_TYPE_BODY else None)
    headers = {"Content-Type": FORM} if body is not None else {}
    return client.sign(origin + path, method, body, headers)


def send(django_client, method, signed, secure=False, **extra):
    """Send a signed (uri, headers, body) with the test client; `method` may differ from the signed one."""
    uri, headers, body = signed
    path = uri.split("://", 1)[1].split("/", 1)[1]
    if "Authorization" in headers:
        extra["HTTP_AUTHORIZATION"] = headers["Authorization"]
    return django_client.generic(method, "/" + path, data=body or "",
                                 content_type=headers.get("Content-Type", "application/octet-stream"),
                                 secure=secure, **extra)


def signed_send(django_client, method, path, consumer, secure=False, **kwargs):
    origin = "https://testserver" if secure else ORIGIN
    return send(django_client, method, sign(method, path, consumer, origin=origin, **kwargs), secure=secure)
