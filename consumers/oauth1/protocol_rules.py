"""RFC 5849 §3 rules that oauthlib is lenient about, checked before it sees a request.

Each violation is a 400 with words that say what to fix: a duplicated protocol parameter, an
`Authorization` header whose values are not quoted and percent-encoded (§3.5.1), a signature method
we do not support, or an `oauth_version` other than 1.0 (§3.1).
"""
import re
from urllib.parse import parse_qsl

from apiv2.errors import ApiError

SUPPORTED_METHODS = ("HMAC-SHA1", "PLAINTEXT")
HEADER_PARAMETER = re.compile(r'^\s*([A-Za-z0-9_.~%-]+)="([^"]*)"\s*$')
PERCENT_ENCODED = re.compile(r"^(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})*$")


def protocol_violation(authorization, query_string, form_body):
    """An `ApiError` (400) for the first violation found, or None."""
    try:
        header_pairs = _header_parameters(authorization)
    except ValueError as error:
        return ApiError(str(error))
    pairs = header_pairs + _oauth_pairs(query_string) + _oauth_pairs(form_body)
    names = [name for name, _ in pairs if name.startswith("oauth_")]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        return ApiError(f"Each protocol parameter may be given once: {', '.join(duplicated)} is repeated.")
    values = dict(pairs)
    method = values.get("oauth_signature_method")
    if method is not None and method not in SUPPORTED_METHODS:
        return ApiError(f"Unsupported signature method {method[:40]!r}: use HMAC-SHA1 or PLAINTEXT.")
    if values.get("oauth_version", "1.0") != "1.0":
        return ApiError("oauth_version must be 1.0 when given.")
    return None


def _header_parameters(authorization):
    """(name, decoded value) pairs of an `OAuth` header, or [] for any other scheme."""
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() != "oauth":
        return []
    pairs = []
    for item in _split_outside_quotes(rest):
        if not item.strip():
            continue
        match = HEADER_PARAMETER.match(item)
        if match is None:
            raise ValueError('Authorization header parameters must be name="value" pairs with quoted values.')
        name, value = match.groups()
        if name != "realm" and not PERCENT_ENCODED.match(value):
            raise ValueError(f"The value of {name[:40]} in the Authorization header must be percent-encoded.")
        pairs.append((name, value))
    return pairs


def _split_outside_quotes(text):
    items, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _oauth_pairs(encoded):
    """The oauth_* pairs of a query string or form body; malformed encoding is oauthlib's to refuse."""
    try:
        return [(name, value) for name, value in parse_qsl(encoded, keep_blank_values=True)
                if name.startswith("oauth_")]
    except ValueError:
        return []
