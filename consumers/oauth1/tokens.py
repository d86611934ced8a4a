"""Maker of every OAuth 1.0a credential we hand out: token keys, token secrets and verifiers."""
import secrets

# 240 bits each; URL-safe base64 gives 40 characters from [A-Za-z0-9_-].
TOKEN_BYTES = 30

# An oob verifier is read off a screen and typed by a person: ten characters without look-alikes
# (no 0/O, 1/I/L, U/V), shown in two groups of five. 29**10 is about 2**48; it also needs the request
# token's secret, works once and expires with the request token, so guessing is out of reach.
OOB_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
OOB_LENGTH = 10
OOB_GROUP = 5


def generate_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def generate_oob_verifier():
    """ABCDE-FGHJK, stored and shown alike."""
    return oob_verifier_as_stored("".join(secrets.choice(OOB_ALPHABET) for _ in range(OOB_LENGTH)))


def oob_verifier_as_stored(typed):
    """What a person typed, in the stored form: lower case and a missing dash are fine."""
    plain = typed.replace("-", "").upper()
    return "-".join(plain[i:i + OOB_GROUP] for i in range(0, len(plain), OOB_GROUP))
