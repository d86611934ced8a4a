"""Wrong user codes typed on `/oauth2/device`, counted per user and per client address across workers
(the shared store), so that nobody can guess a live code by trying many (RFC 8628 §5.1).

Past either limit the page refuses every code until the window ends, a right one too, as the
failed-login limits do for passwords. The address is the one client-address rule's.
"""
import hashlib
import math
import time

from access.shared_state import counters_add, fetch

WINDOW_SECONDS = 15 * 60
WRONG_CODES_PER_USER = 10  # a person mistypes a few times; a guesser needs hundreds of billions
WRONG_CODES_PER_ADDRESS = 30  # several people behind one address may each mistype


class WrongUserCodes:
    """The counters one user and one address are judged by in the current window."""

    def __init__(self, user, address):
        window = int(time.time() // WINDOW_SECONDS)
        self.window_end = (window + 1) * WINDOW_SECONDS
        address_digest = hashlib.sha256(str(address).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.limits = {
            f"device-code:user:{user.pk}:{window}": WRONG_CODES_PER_USER,
            f"device-code:ip:{address_digest}:{window}": WRONG_CODES_PER_ADDRESS,
        }

    def cool_off_seconds(self):
        """Seconds until another code may be tried, 0 if now."""
        found = fetch(counters=self.limits)
        if any(int(found.get(name) or 0) >= limit for name, limit in self.limits.items()):
            return max(1, math.ceil(self.window_end - time.time()))
        return 0

    def record(self):
        counters_add((name, WINDOW_SECONDS) for name in self.limits)
