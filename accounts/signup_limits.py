"""How many accounts one client address may create (`SIGNUP_RATE_LIMIT`, e.g. 20/hour), counted across
workers in the shared store, in fixed windows; the address is the one client-address rule's."""
from django.conf import settings

from access.store.counters import counters_claim
from access.store.reads import fetch
from access.windows import Window, counter_digest, rate_parts


def _limit_and_window():
    count, seconds = rate_parts(settings.SIGNUP_RATE_LIMIT)
    return count, Window(seconds)


def _name(address, window):
    return f"signups:ip:{counter_digest(address)}:{window.number}"


def signup_wait(address):
    """Seconds until `address` may create an account again, 0 if now (nothing counted)."""
    limit, window = _limit_and_window()
    name = _name(address, window)
    return window.wait_seconds() if int(fetch(counters=[name]).get(name) or 0) >= limit else 0


def signup_claim(address):
    """Count one account created from `address` if the limit allows: 0, and counted; else the seconds
    to wait, and nothing counted. Check and count are one atomic step (`counters_claim`)."""
    limit, window = _limit_and_window()
    if counters_claim({_name(address, window): limit}, window.seconds):
        return 0
    return window.wait_seconds()
