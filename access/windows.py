"""Fixed windows for limits counted in the shared store (failed sign-ins, signups, device codes): which
window it is, how long until it ends, and the name a caller's text goes by in a counter's name."""
import hashlib
import math
import time
from functools import lru_cache

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}  # by the period's first letter, as DRF reads it


@lru_cache(maxsize=1024)
def counter_digest(*parts):
    """A fixed-length name for text a caller chose (a username, an address, a client key): it may hold
    any character (a NUL, which the database cache on PostgreSQL cannot take) and be of any length.
    The names a warm request needs (its key, account and address, some several times) are kept, so
    each is hashed once per worker; at most 1,024 of them, as a caller's text is as long as a header
    may be (8 KB behind gunicorn or nginx)."""
    text = "\0".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@lru_cache(maxsize=32)
def rate_parts(rate):
    """(count, seconds) of a rate setting such as "20/hour" (spellings checked at start-up:
    `apiproject.config`); parsed once, then read several times a request."""
    count, period = rate.split("/")
    return int(count), PERIOD_SECONDS[period[0]]


class Window:
    """The current window of `seconds`: its number (part of every counter's name, so a new window starts
    from zero) and its end. `now`: the time to take as the current one."""

    def __init__(self, seconds, now=None):
        self.seconds = seconds
        self.number = int((time.time() if now is None else now) // seconds)
        self.end = (self.number + 1) * seconds

    def wait_seconds(self):
        """Whole seconds until the window ends (at least 1): a refused caller's `Retry-After`."""
        return max(1, math.ceil(self.end - time.time()))
