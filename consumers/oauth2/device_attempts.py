"""Wrong user codes typed on `/oauth2/device`, counted per user and per client address across workers
(the shared store), so that nobody can guess a live code by trying many (RFC 8628 §5.1).

Past either limit the page refuses every code until the window ends, a right one too, as the
failed-login limits do for passwords. The address is the one client-address rule's. As for passwords,
a try claims its place before the code is looked up (check and count in one atomic step, so that
concurrent guesses cannot pass a limit together) and gives it back when the code was right.
"""
from access.store.counters import counters_claim, counters_release
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

    def claim(self):
        """Count this try before its code is looked up, if every limit allows one more: 0, and counted;
        else the seconds until another code may be tried, and nothing counted."""
        self.claimed = counters_claim(self.limits, WINDOW_SECONDS)
        return 0 if self.claimed else self.window.wait_seconds()

    def release(self):
        """The code was right, or could not be anyone's: this try is no wrong code."""
        counters_release(self.limits, WINDOW_SECONDS, self.claimed)
