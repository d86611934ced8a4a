"""Maker and reader of the device flow's user codes (RFC 8628 §6.1): what a person reads off a device's
screen and types on `/oauth2/device`.

Eight characters from the oob verifier's alphabet (no 0/O, 1/I/L, U/V), shown as two groups of four
(`WDJB-MJHT`) and read in any case, with or without the dash or spaces. 29**8 is about 2**38.9: with
a code living 15 minutes and wrong guesses limited per user and per address
(`consumers.oauth2.device_attempts`), guessing someone's live code is out of reach (RFC 8628 §5.1).
"""
import secrets

from consumers.oauth1.tokens import OOB_ALPHABET

USER_CODE_LENGTH = 8
USER_CODE_GROUP = 4


def generate_user_code():
    """WDJB-MJHT, stored and shown alike."""
    return user_code_as_stored("".join(secrets.choice(OOB_ALPHABET) for _ in range(USER_CODE_LENGTH)))


def user_code_as_stored(typed):
    """What a person typed, in the stored form, or "" when it cannot be a user code at all (so that a
    lookup is not even tried)."""
    plain = "".join(str(typed).split()).replace("-", "").upper()
    if len(plain) != USER_CODE_LENGTH or any(character not in OOB_ALPHABET for character in plain):
        return ""
    return "-".join(plain[i:i + USER_CODE_GROUP] for i in range(0, USER_CODE_LENGTH, USER_CODE_GROUP))
