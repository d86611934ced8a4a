"""The client-address rule: which address a request came from, for everything that counts by address.

Without proxies it is the peer address (`REMOTE_ADDR`); a client can write any `X-Forwarded-For` it
likes. With `TRUSTED_PROXIES` = N in front, each proxy appends the address it saw, so the Nth entry
from the right is the last one a trusted proxy wrote: the client's.
"""
import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def client_address(request):
    """The client's address for a Django request (None, as `authenticate()` may pass: "unknown")."""
    meta = getattr(request, "META", None) or {}
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
            if _is_address(candidate):
                return candidate
    return meta.get("REMOTE_ADDR") or UNKNOWN


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
