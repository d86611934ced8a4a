"""Remembers recently verified Basic credentials for a short time, so only the first request pays PBKDF2.

The shared store holds a keyed digest of username and password (never the password itself) mapped to
the user's id and a digest of the user's current password hash: a password change ends the entry at
once, and a wrong password simply misses and pays the full check. For one of the account's API passwords
(`accounts.api_passwords`) the entry names it and carries a digest of its hash instead: revoking it ends
the entry at once.
"""
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.utils.crypto import constant_time_compare
from django.views.decorators.debug import sensitive_variables

from access.client_address import client_address
from access.credentials import account_tag
from access.refusals import TooManyFailedAttempts
from access.store.reads import fetch
from access.store.remembered import discard, remember
from accounts.api_passwords import api_password_of
from accounts.failed_logins import FailedLoginCounters
from accounts.services import api_password_mark_used

KEY_SALT = "accounts.verified_passwords"


def _keyed_digest(text):
    """Django's `salted_hmac(KEY_SALT, text, algorithm="sha256").hexdigest()`, the same digest for the same
    SECRET_KEY, from an HMAC keyed once per SECRET_KEY and copied for each text: on a warm request, with
    the CPU's caches cold, a copy costs about half of a fresh keyed HMAC (measured: 48 µs against 85)."""
    secret = settings.SECRET_KEY
    keyed = _keyed_hmacs.get(secret)
    if keyed is None:
        key = hashlib.sha256(KEY_SALT.encode() + secret.encode()).digest()
        keyed = _keyed_hmacs[secret] = hmac.new(key, digestmod=hashlib.sha256)
    digest = keyed.copy()
    digest.update(text.encode())
    return digest.hexdigest()


_keyed_hmacs = {}


def fingerprint_of_hash(password_hash):
    return _keyed_digest(password_hash)


def password_fingerprint(user):
    """A keyed digest of the user's current password hash; a cached snapshot carries it precomputed
    (and its password field deferred), so checking it costs no query."""
    return user.__dict__.get("password_fingerprint") or fingerprint_of_hash(user.password)


def _still_valid(user, fingerprint):
    return user is not None and user.is_active and constant_time_compare(password_fingerprint(user), fingerprint)


class PasswordCheck:
    """One Basic password check. Its reads of the shared store (the remembered digest and the
    failed-login counters) are named up front so the caller can batch them with its own."""

    @sensitive_variables("password")
    def __init__(self, request, username, password):
        self.request, self.username, self._password = request, username, password
        digest = _keyed_digest(f"{username}\0{password}")
        self.key = f"basic-verified:{{{account_tag(username)}}}:{digest}"  # in the account's slot
        self.counters = FailedLoginCounters(username, client_address(request))
        self.remembered_names = [self.key]
        self.counter_names = list(self.counters.limits)

    def verified_user(self, found=None, likely_user=None):
        """The user the credentials verify, or None; TooManyFailedAttempts during a cool-off.

        `found`: what the caller fetched of `remembered_names` and `counter_names` (fetched here when
        None). `likely_user` (the client key's owner, already loaded) saves a query when the
        remembered entry names it.
        """
        if found is None:
            found = fetch(remembered=self.remembered_names, counters=self.counter_names)
        # Before the fast path, so a cool-off holds even for a remembered (right) password.
        wait = self.counters.cool_off_seconds(found)
        if wait:
            raise TooManyFailedAttempts(wait)
        remembered = found.get(self.key)
        if remembered is not None:
            user = self.remembered_user(remembered, likely_user)
            if user is not None:
                return user
            discard([self.key])
        # Django's ModelBackend runs the hasher for unknown users too, so timing reveals nothing; an API
        # password costs the same one hash check (`accounts.api_passwords`). The backend claims this
        # check in the failed-login counters first (`accounts.backends`).
        user = authenticate(self.request, username=self.username, password=self._password, basic=True)
        wait = getattr(self.request, "failed_login_cool_off", None)
        if user is None and wait:
            raise TooManyFailedAttempts(wait)
        if user is not None:
            seconds = settings.BASIC_CREDENTIALS_CACHE_SECONDS
            api_password = getattr(user, "basic_api_password", None)
            if api_password is None:
                remember(self.key, (user.pk, password_fingerprint(user)), seconds)
            else:
                remember(self.key, (user.pk, fingerprint_of_hash(api_password.password_hash), api_password.pk),
                         seconds)
                api_password_mark_used(api_password=api_password)
        return user

    def remembered_user(self, remembered, likely_user):
        """The user a remembered check names if it still holds: the user active and, for the sign-in
        password, its hash unchanged; for an API password, that one not revoked (its row read)."""
        user_id, fingerprint, *api_password_id = remembered
        user = likely_user if likely_user is not None and likely_user.pk == user_id else (
            get_user_model().objects.filter(pk=user_id).first()
        )
        if not api_password_id:
            return user if _still_valid(user, fingerprint) else None
        if user is None or not user.is_active:
            return None
        api_password = api_password_of(pk=api_password_id[0], user=user)
        if api_password is None or not constant_time_compare(fingerprint_of_hash(api_password.password_hash),
                                                             fingerprint):
            return None
        api_password_mark_used(api_password=api_password)
        return user
