"""The HMAC-SHA1 signature base string (RFC 5849 §3.4.1), character for character as oauthlib's public
functions compute it, at a fraction of their cost on every signed request.

oauthlib percent-encodes (§3.6) through `urllib.parse.quote`, a Python-level step per byte, some twenty
times per request; here a value with nothing to encode (most are: keys, nonces) is recognised by one
regular expression, any other is encoded by one `str.translate` over a fixed table, and the
normalized parameters by three `str.replace`s. The base string
URI is oauthlib's own `signature.base_string_uri`, remembered per URI. `tests/oauth1/test_base_string.py`
holds this module to oauthlib's `normalize_parameters`, `base_string_uri` and `signature_base_string`
on random requests, reserved and non-ASCII characters included.
"""
import re
from functools import lru_cache

from oauthlib.oauth1.rfc5849 import signature

# RFC 3986 unreserved characters: the only ones §3.6 leaves as they are.
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
UNRESERVED_ONLY = re.compile(r"[A-Za-z0-9._~-]*")


class _PercentEncoding(dict):
    """Code point -> its §3.6 encoding: unreserved ASCII as itself, any other ASCII as `%XX` (upper-case
    hex, as `quote` writes it), in the table; a non-ASCII character as its UTF-8 bytes, each `%XX`,
    worked out when met and not kept (so the table stays small whatever clients send). A lone
    surrogate raises UnicodeEncodeError, a ValueError, as oauthlib's `escape` does."""

    def __missing__(self, code):
        return "".join(f"%{byte:02X}" for byte in chr(code).encode("utf-8"))


PERCENT_ENCODING = _PercentEncoding(
    {code: chr(code) if chr(code) in UNRESERVED else f"%{code:02X}" for code in range(128)}
)


def escape(value):
    """oauthlib's `utils.escape`: a str percent-encoded as §3.6 asks; ValueError for anything else."""
    if not isinstance(value, str):
        raise ValueError("Only unicode objects are escapable.")
    if UNRESERVED_ONLY.fullmatch(value):  # keys, tokens, nonces, timestamps: nothing to encode
        return value
    return value.translate(PERCENT_ENCODING)


def normalize_parameters(params):
    """oauthlib's `signature.normalize_parameters`: (name, value) pairs encoded, sorted, joined (§3.4.1.3.2)."""
    encoded = sorted((escape(name), escape(value)) for name, value in params)
    return "&".join(f"{name}={value}" for name, value in encoded)


def signature_base_string(http_method, uri, params):
    """oauthlib's `signature_base_string(method, base_string_uri(uri), normalize_parameters(params))`."""
    normalized = normalize_parameters(params)
    # `escape(normalized)`, in three steps: encoded parts joined by "=" and "&" hold no other character
    # that needs encoding.
    encoded = normalized.replace("%", "%25").replace("=", "%3D").replace("&", "%26")
    return f"{escape(http_method.upper())}&{_escaped_base_string_uri(uri)}&{encoded}"


@lru_cache(maxsize=256)
def _escaped_base_string_uri(uri):
    # A ValueError (no scheme, no host, a port out of range) is raised again each time, never kept.
    return escape(signature.base_string_uri(uri))
