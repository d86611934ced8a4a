"""How many password-reset mails may be asked for, per client address and per email address, counted
across workers in the shared store in fixed windows. The email address is counted whether or not an
account uses it, so the limit tells nothing about who has an account."""
from access.store.counters import counters_claim
from access.windows import Window, counter_digest

WINDOW_SECONDS = 3600
PER_ADDRESS = 20  # a household or an office behind one address, each asking a few times
PER_EMAIL = 5  # a person who did not find the first mail asks again; a mail bomb does not


def password_reset_claim(*, address, email):
    """Count one reset request from client `address` for `email` if both limits allow: 0, and counted;
    else the seconds to wait, and nothing counted (one atomic step: `counters_claim`)."""
    window = Window(WINDOW_SECONDS)
    limits = {
        f"password-resets:ip:{counter_digest(address)}:{window.number}": PER_ADDRESS,
        f"password-resets:email:{counter_digest(email.strip().casefold())}:{window.number}": PER_EMAIL,
    }
    if counters_claim(limits, window.seconds):
        return 0
    return window.wait_seconds()
