"""Failed password checks, counted per username and per client IP across workers (the shared cache).

Past either limit the caller is cooled off until the window ends, even with the right password, so
guessing is bounded. The client IP is REMOTE_ADDR: an X-Forwarded-For header is the client's to forge.
"""
import hashlib
import math
import time

from django.conf import settings

from apiproject.shared_cache import cache_get_many, increment_counters


def client_ip(request):
    return (request.META.get("REMOTE_ADDR") if request is not None else "") or "unknown"


class FailedLoginCounters:
    """The counters one username and one IP are judged by in the current window."""

    def __init__(self, username, ip):
        self.period = settings.FAILED_LOGIN_WINDOW_SECONDS
        window = int(time.time() // self.period)
        self.window_end = (window + 1) * self.period
        user_digest = hashlib.sha256(str(username).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.limits = {
            f"failed-login:user:{user_digest}:{window}": settings.FAILED_LOGIN_LIMIT_PER_USERNAME,
            f"failed-login:ip:{ip}:{window}": settings.FAILED_LOGIN_LIMIT_PER_IP,
        }

    def cool_off_seconds(self, found=None):
        """Seconds until another try is allowed, 0 if now. `found`: counts the caller already read
        along with its own keys (one round trip), else they are read here."""
        if found is None:
            found = cache_get_many(list(self.limits)) or {}  # cache down: the password check still stands
        if any(int(found.get(key) or 0) >= limit for key, limit in self.limits.items()):
            return max(1, math.ceil(self.window_end - time.time()))
        return 0

    def record_failure(self):
        increment_counters([(key, self.period) for key in self.limits])
