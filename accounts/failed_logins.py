"""Failed password checks, counted per username and per client address across workers (the shared store).

Past either limit the caller is cooled off until the window ends, even with the right password, so
guessing is bounded. The address is the one client-address rule's (`access.client_address`).
"""
import hashlib
import math
import time

from django.conf import settings

from access.shared_state import counters_add, fetch


class FailedLoginCounters:
    """The counters one username and one address are judged by in the current window."""

    def __init__(self, username, address):
        self.period = settings.FAILED_LOGIN_WINDOW_SECONDS
        window = int(time.time() // self.period)
        self.window_end = (window + 1) * self.period
        user_digest = hashlib.sha256(str(username).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        address_digest = hashlib.sha256(str(address).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.limits = {
            f"failed-login:user:{user_digest}:{window}": settings.FAILED_LOGIN_LIMIT_PER_USERNAME,
            f"failed-login:ip:{address_digest}:{window}": settings.FAILED_LOGIN_LIMIT_PER_IP,
        }

    def cool_off_seconds(self, found=None):
        """Seconds until another try is allowed, 0 if now. `found`: counts the caller already read
        along with its own names (one round trip), else they are read here."""
        if found is None:
            found = fetch(counters=self.limits)
        if any(int(found.get(name) or 0) >= limit for name, limit in self.limits.items()):
            return max(1, math.ceil(self.window_end - time.time()))
        return 0

    def record_failure(self):
        counters_add((name, self.period) for name in self.limits)
