"""The guide's worked OAuth 1.0a request, signed with oauthlib's own functions at render time.

The OAuth 1.0a endpoints verify with the same oauthlib signature module, so the page's base string
and signature cannot drift from what the server accepts.
"""
import secrets
import shlex
import time
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit

from oauthlib.common import quote
from oauthlib.oauth1.rfc5849 import signature

# Illustrative credentials (the ones RFC 5849 uses); only the URL is this deployment's.
EXAMPLE_CREDENTIALS = {
    "client_key": "dpf43f3p2l4k3l03",
    "client_secret": "kd94hf93k423kf44",
    "token": "nnch734d00sl2jdk",
    "token_secret": "pfkkdhi9sl3r4s00",
    "nonce": "kllo9940pd9333jh",
    "timestamp": "1191242096",
}


@dataclass(frozen=True)
class SignedExample:
    method: str
    url: str
    client_key: str
    client_secret: str
    token: str
    token_secret: str
    oauth_params: list  # (name, value) pairs, before signing
    normalized_params: str
    base_string_uri: str
    base_string: str
    signing_key: str
    signature: str
    authorization_header: str


def signed_example(url, method="GET", credentials=EXAMPLE_CREDENTIALS, form=()):
    """Sign `method url` (and a form body's `form` pairs) with HMAC-SHA1 step by step, as RFC 5849
    §3.4 describes."""
    c = credentials
    oauth_params = [
        ("oauth_consumer_key", c["client_key"]),
        ("oauth_token", c["token"]),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", c["timestamp"]),
        ("oauth_nonce", c["nonce"]),
        ("oauth_version", "1.0"),
    ]
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    normalized = signature.normalize_parameters(query + list(form) + oauth_params)
    base_uri = signature.base_string_uri(url)
    base_string = signature.signature_base_string(method, base_uri, normalized)
    secrets = SimpleNamespace(client_secret=c["client_secret"], resource_owner_secret=c["token_secret"])
    digest = signature.sign_hmac_sha1_with_client(base_string, secrets)
    header_params = oauth_params + [("oauth_signature", digest)]
    header = "OAuth " + ", ".join(f'{name}="{quote(value, safe=b"~")}"' for name, value in header_params)
    return SignedExample(
        method=method, url=url,
        client_key=c["client_key"], client_secret=c["client_secret"],
        token=c["token"], token_secret=c["token_secret"],
        oauth_params=oauth_params, normalized_params=normalized,
        base_string_uri=base_uri, base_string=base_string,
        signing_key=f'{quote(c["client_secret"], safe=b"~")}&{quote(c["token_secret"], safe=b"~")}',
        signature=digest, authorization_header=header,
    )


def transport_examples(products_url, credentials=EXAMPLE_CREDENTIALS):
    """Pasteable curl lines for the three places protocol parameters may travel (RFC 5849 §3.5):
    the Authorization header, the form body, the query. Signed now, each with its own nonce, so they
    work for 10 minutes with credentials that exist."""
    def fresh():
        return {**credentials, "timestamp": str(int(time.time())), "nonce": secrets.token_hex(8)}

    listed = f"{products_url}?page=1"
    header = signed_example(listed, credentials=fresh())
    query = signed_example(listed, credentials=fresh())
    form = [("name", "Desk lamp"), ("price", "12.50")]
    body = signed_example(products_url, "POST", fresh(), form)
    return {
        "header": f"curl -H {shlex.quote('Authorization: ' + header.authorization_header)} {shlex.quote(listed)}",
        "query": f"curl {shlex.quote(listed + '&' + urlencode(_protocol_params(query)))}",
        "body": f"curl --data {shlex.quote(urlencode(form + _protocol_params(body)))} {shlex.quote(products_url)}",
    }


def _protocol_params(example):
    return example.oauth_params + [("oauth_signature", example.signature)]
