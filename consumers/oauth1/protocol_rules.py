"""RFC 5849 §3 rules that oauthlib is lenient about, and the parser of the `OAuth` Authorization header.

Each violation is a refusal (400) with words that say what to fix: a duplicated protocol parameter, an
`Authorization` header whose values are not quoted and percent-encoded (§3.5.1), a signature method
we do not support, an `oauth_version` other than 1.0 (§3.1; `1.0a`/`1.0A`, which some client libraries
send, is the same version), a missing or malformed mandatory parameter.
"""
import re

from access.refusals import MalformedRequest

SUPPORTED_METHODS = ("HMAC-SHA1", "PLAINTEXT")
_NAME = r"[A-Za-z0-9_.~%-]+"  # a parameter's name, as a header may carry it
_ENCODED = r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})*"  # percent-encoded text (RFC 5849 §3.6)
QUOTED_PAIR = re.compile(f'({_NAME})="([^"]*)"')
HEADER_PARAMETER = re.compile(rf"\s*{QUOTED_PAIR.pattern}\s*")
# Items of the parameter list: quoted strings kept whole, commas outside quotes end an item.
HEADER_ITEM = re.compile(r'(?:[^",]|"[^"]*")+')
PERCENT_ENCODED = re.compile(f"^{_ENCODED}$")
# A whole parameter list as clients write it: every value quoted, and percent-encoded but the realm's.
# Told in one match (then read in one `findall`); any other list is parsed item by item, for its error.
_WELL_FORMED_ITEM = rf'\s*(?:realm="[^"]*"|{_NAME}="{_ENCODED}")\s*'
WELL_FORMED_LIST = re.compile(f"{_WELL_FORMED_ITEM}(?:,{_WELL_FORMED_ITEM})*")
MISSING = "Missing mandatory OAuth parameters."
VERSIONS = ("1.0", "1.0a", "1.0A")


def _oauth_parameter_list(authorization):
    """What follows `OAuth ` in an `Authorization` header; None for any other scheme."""
    scheme, _, rest = authorization.strip().partition(" ")
    return rest if scheme.lower() == "oauth" else None


def is_oauth_header(authorization):
    """Does this `Authorization` header use the `OAuth` scheme (whatever its parameters)?"""
    return _oauth_parameter_list(authorization) is not None


def header_parameters(authorization):
    """(name, value as sent) pairs of an `OAuth` Authorization header; None for any other scheme.
    `MalformedRequest` when a value is not quoted or not percent-encoded."""
    rest = _oauth_parameter_list(authorization)
    if rest is None:
        return None
    if WELL_FORMED_LIST.fullmatch(rest):
        return QUOTED_PAIR.findall(rest)
    return parameters_item_by_item(rest)


def parameters_item_by_item(rest):
    """The parameter list after `OAuth `, read one item at a time: the parser of record, whose errors
    say which item is wrong (`header_parameters` takes a well-formed list in one step, to the same pairs)."""
    if rest.count('"') % 2:
        raise MalformedRequest('Authorization header parameters must be name="value" pairs with quoted values.')
    pairs = []
    for item in HEADER_ITEM.findall(rest):
        if not item.strip():
            continue
        match = HEADER_PARAMETER.fullmatch(item)
        if match is None:
            raise MalformedRequest('Authorization header parameters must be name="value" pairs with quoted values.')
        name, value = match.groups()
        if name != "realm" and not PERCENT_ENCODED.match(value):
            raise MalformedRequest(f"The value of {name[:40]} in the Authorization header must be percent-encoded.")
        pairs.append((name, value))
    return pairs


def protocol_violation(pairs):
    """The refusal for the first violation among all of a request's (name, value) pairs, or None."""
    names = [name for name, _ in pairs if name.startswith("oauth_")]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        return MalformedRequest(f"Each protocol parameter may be given once: {', '.join(duplicated)} is repeated.")
    values = dict(pairs)
    method = values.get("oauth_signature_method")
    if method is not None and method not in SUPPORTED_METHODS:
        return MalformedRequest(f"Unsupported signature method {method[:40]!r}: use HMAC-SHA1 or PLAINTEXT.")
    if values.get("oauth_version", "1.0") not in VERSIONS:
        return MalformedRequest("oauth_version must be 1.0 (or 1.0a) when given.")
    return None


def mixed_sources_violation(sources):
    """The refusal when protocol parameters come from more than one of header, body and query, or None."""
    if len(sources) > 1:
        return MalformedRequest(f"Protocol parameters must come from one place; found in {' and '.join(sources)}.")
    return None


def mandatory_violation(oauth_request, formats):
    """The refusal when a mandatory parameter is missing or malformed (RFC 5849 §3.1), or None.
    `formats`: the validator, whose `check_*` methods say what keys and nonces look like."""
    if not all((oauth_request.signature, oauth_request.client_key, oauth_request.nonce,
                oauth_request.timestamp, oauth_request.signature_method)):
        return MalformedRequest(MISSING)
    if len(oauth_request.timestamp) != 10:
        return MalformedRequest("Invalid timestamp size")
    if not (oauth_request.timestamp.isascii() and oauth_request.timestamp.isdigit()):
        return MalformedRequest("Timestamp must be an integer.")
    if not formats.check_client_key(oauth_request.client_key):
        return MalformedRequest("Invalid client key format.")
    if not formats.check_nonce(oauth_request.nonce):
        low, high = formats.nonce_length
        return MalformedRequest(f"Invalid nonce format: oauth_nonce must be {low} to {high} letters, "
                                "digits or -._~ characters.")
    return None

