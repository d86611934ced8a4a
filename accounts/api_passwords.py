"""API passwords: named passwords an account makes for HTTP Basic, in place of its sign-in password (what
GitHub's personal access tokens and Bitbucket's app passwords are), and how Basic finds and checks them.

An API password is `apw_` and 40 random URL-safe characters (240 bits). It is shown once and kept only as
Django's password hash (`make_password`), beside the first 16 hex digits of its SHA-256 (`lookup`), by
which Basic finds its row. Why this design:

- **One hash check per Basic password, whether or not the account has API passwords.** A password of
  the API-password shape is looked up by its digest (one indexed query, whatever the account); a row
  found is checked with its hash, else the sign-in password is checked as always. A row is found only
  by a caller who holds that API password (or 64 bits of its SHA-256), so what a guess costs (one
  query, one hash) is the same for an account with none, one or twenty. Checking a guess against each
  of the account's API passwords instead would take more time the more it has.
- **The shape is the caller's, not the account's**: a password of any other shape (every sign-in
  password but those that happen to look like an API password) skips the lookup, which tells nothing
  about the account and keeps the sign-in password's path as it was. The prefix also lets secret
  scanners recognize a leaked API password, as GitHub's `ghp_` does.
- **The digest is plain SHA-256, cut short.** Keyed with SECRET_KEY, rotating that key would break
  every script. Plain is safe for a random 240-bit secret (it cannot be searched for), and 64 bits
  are too few to prove a password: the hash is what checks it.
- **Revoking deletes the row.** A Basic check remembered for an API password (`accounts.verified_passwords`)
  names the row and carries a keyed digest of its hash; the next request reads the row by primary key
  (one query, which also brings the last-use stamp), misses it, and is refused, on every worker at once.
- **The sign-in password may be turned off for Basic** (`ApiAccount.basic_sign_in_password`); then it
  fails there like a wrong password, and counts as one. A check remembered with it before then ends at
  once because turning it off hashes it again (`accounts.services.account_basic_sign_in_password_set`).
"""
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password

from accounts.models import ApiAccount, ApiPassword

PREFIX = "apw_"
SECRET_BYTES = 30  # 40 URL-safe characters
LENGTH = len(PREFIX) + 40
LOOKUP_DIGITS = 16
MOST_PER_ACCOUNT = 20


def api_password_generate():
    """A new API password: to be shown once, then kept only hashed."""
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def api_password_lookup(password):
    """The digest an API password's row is found by."""
    return hashlib.sha256(password.encode("utf-8", "surrogatepass")).hexdigest()[:LOOKUP_DIGITS]


def shaped_like_api_password(password):
    return len(password) == LENGTH and password.startswith(PREFIX)


def api_password_candidate(*, username, password):
    """The API password of the account `username` that `password` may be (its digest matches), not yet
    checked; None when `password` is no API password of that account's."""
    if not shaped_like_api_password(password):
        return None
    username_field = get_user_model().USERNAME_FIELD
    return (ApiPassword.objects.select_related("user")
            .filter(lookup=api_password_lookup(password), **{f"user__{username_field}": username}).first())


def api_password_verifies(api_password, password):
    """One hash check, as the sign-in password's."""
    return check_password(password, api_password.password_hash)


def api_password_of(*, pk, user):
    """The API password `pk` of `user` if it is still in force (not revoked), with what a remembered check
    compares and the last-use stamp; else None."""
    return ApiPassword.objects.filter(pk=pk, user_id=user.pk).only(
        "user_id", "lookup", "password_hash", "last_used").first()


def basic_sign_in_password_allowed(user):
    """Does the account's sign-in password work in HTTP Basic (the default), or only its API passwords?"""
    return not ApiAccount.objects.filter(user_id=user.pk, basic_sign_in_password=False).exists()
