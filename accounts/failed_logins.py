"""Failed password checks: the one rule that slows a guesser and never locks the owner out.

Counted in fixed windows (`FAILED_LOGIN_WINDOW_SECONDS`) in the shared store, across workers, three ways:
per username from one client address (`FAILED_LOGIN_LIMIT_PER_USERNAME`), per address over every
username (`FAILED_LOGIN_LIMIT_PER_IP`), and per username over every address
(`FAILED_LOGIN_CEILING_PER_USERNAME`, far above what a person mistypes). Past any of them the caller
waits until the window ends, even with the right password; the owner at another address does not. The
address is the one client-address rule's (`access.client_address`).

A password check claims its place before it runs (`claim`: check and count in one atomic step, so
concurrent guesses cannot pass a limit together) and gives it back when the password was right
(`release`): only failures stay counted.
"""
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from types import MappingProxyType

from django.conf import settings

from access.credentials import account_tag
from access.metrics import FAILED_LOGIN_REFUSALS
from access.store.counters import counters_claim, counters_release, noted_members
from access.store.reads import fetch
from access.windows import Window, counter_digest


def _window(now=None):
    return Window(settings.FAILED_LOGIN_WINDOW_SECONDS, now)


def _username_names(username, window):
    """The username-wide counter and the set of addresses its failures came from (in the account's slot)."""
    tag = account_tag(username)
    return f"failed-login:user:{{{tag}}}:{window.number}", f"failed-login:addresses:{{{tag}}}:{window.number}"


def _pair_name(username, address, window):
    return f"failed-login:pair:{{{account_tag(username)}}}:{counter_digest(address)}:{window.number}"


class FailedLoginCounters:
    """The counters one username at one address is judged by in the current window."""

    def __init__(self, username, address):
        self.address = str(address)
        self.window, self.addresses_name, self.limits = _counters_of(int(time.time()), username, self.address)
        self.period = self.window.seconds

    def wait_seconds(self):
        return self.window.wait_seconds()

    def cool_off_seconds(self, found=None):
        """Seconds until another try is allowed, 0 if now. `found`: counts the caller already read
        along with its own names (one round trip), else they are read here."""
        if found is None:
            found = fetch(counters=self.limits)
        if any(int(found.get(name) or 0) >= limit for name, limit in self.limits.items()):
            FAILED_LOGIN_REFUSALS.inc()
            return self.wait_seconds()
        return 0

    def claim(self):
        """Count this password check before it runs, if every limit allows one more: 0, and counted;
        else the seconds to wait, and nothing counted."""
        self.claimed = counters_claim(self.limits, self.period, note=(self.addresses_name, self.address))
        if not self.claimed:
            FAILED_LOGIN_REFUSALS.inc()
        return 0 if self.claimed else self.wait_seconds()

    def release(self):
        """The password was right: the claimed check is not a failure."""
        counters_release(self.limits, self.period, self.claimed)


def _counters_of(second, username, address):
    """(window, the name of the set of addresses, {counter name: limit}) of this username at this address
    at `second` (the limits read-only: a `MappingProxyType`)."""
    window = _window(second)
    user_name, addresses_name = _username_names(username, window)
    return window, addresses_name, MappingProxyType({
        _pair_name(username, address, window): settings.FAILED_LOGIN_LIMIT_PER_USERNAME,
        f"failed-login:ip:{{a:{counter_digest(address)}}}:{window.number}": settings.FAILED_LOGIN_LIMIT_PER_IP,
        user_name: settings.FAILED_LOGIN_CEILING_PER_USERNAME,
    })


@dataclass(frozen=True)
class CoolOff:
    """A username's failed sign-ins in the current window, for staff."""

    failures: int  # over every address
    until: datetime  # when the window, and any cool-off in it, ends
    ceiling_reached: bool  # refused from every address
    addresses: tuple  # ((address, failures, cooling off?), ...), most failures first

    @property
    def cooling_off(self):
        return self.ceiling_reached or any(cooling for _, _, cooling in self.addresses)


def failed_logins_of(username):
    """`CoolOff` for `username` now: how many failures, from which addresses, and who waits until when."""
    window = _window()
    user_name, addresses_name = _username_names(username, window)
    addresses = sorted(noted_members(addresses_name))
    pairs = {address: _pair_name(username, address, window) for address in addresses}
    found = fetch(counters=[user_name, *pairs.values()])
    limit = settings.FAILED_LOGIN_LIMIT_PER_USERNAME
    per_address = sorted(((address, int(found.get(name) or 0)) for address, name in pairs.items()),
                         key=lambda item: (-item[1], item[0]))
    failures = int(found.get(user_name) or 0)
    return CoolOff(
        failures=failures, until=datetime.fromtimestamp(window.end, tz=timezone.utc),
        ceiling_reached=failures >= settings.FAILED_LOGIN_CEILING_PER_USERNAME,
        addresses=tuple((address, count, count >= limit) for address, count in per_address if count),
    )


def failed_login_names_of(username):
    """Every counter (and noted set) this window holds for `username` alone: what clearing forgets.
    An address's own counter stays: it is about everyone at that address, not this user."""
    window = _window()
    user_name, addresses_name = _username_names(username, window)
    pairs = [_pair_name(username, address, window) for address in noted_members(addresses_name)]
    return [user_name, addresses_name, *pairs]
