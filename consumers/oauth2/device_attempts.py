"""Wrong user codes typed on `/oauth2/device`, counted per user and per client address across workers
(the shared store), so that nobody can guess a live code by trying many (RFC 8628 §5.1).

Past either limit the page refuses every code until the window ends, a right one too, as the
failed-login limits do for passwords. The address is the one client-address rule's.
"""
from access.shared_state import counters_add, fetch
from access.windows import Window, counter_digest

WINDOW_SECONDS = 15 * 60
WRONG_CODES_PER_USER = 10  # a person mistypes a few times; a guesser needs hundreds of billions
WRONG_CODES_PER_ADDRESS = 30  # several people behind one address may each mistype


class WrongUserCodes:
    """The counters one user and one address are judged by in the current window."""

    def __init__(self, user, address):
        self.window = Window(WINDOW_SECONDS)
        self.limits = {
            f"device-code:user:{user.pk}:{self.window.number}": WRONG_CODES_PER_USER,
            f"device-code:ip:{counter_digest(address)}:{self.window.number}": WRONG_CODES_PER_ADDRESS,
        }

    def cool_off_seconds(self):
        """Seconds until another code may be tried, 0 if now."""
        found = fetch(counters=self.limits)
        if any(int(found.get(name) or 0) >= limit for name, limit in self.limits.items()):
            return self.window.wait_seconds()
        return 0

    def record(self):
        counters_add((name, WINDOW_SECONDS) for name in self.limits)
