"""The device flow's user codes: short, typable, unambiguous, read in any case (RFC 8628 §6.1)."""
import math
import re

from consumers.oauth1.tokens import OOB_ALPHABET
from consumers.oauth2.user_codes import USER_CODE_LENGTH, generate_user_code, user_code_as_stored


def test_a_user_code_is_two_groups_of_four_without_look_alikes():
    codes = {generate_user_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}", code), code
    assert not set("".join(codes)) & set("01OILUV")


def test_a_user_code_has_enough_entropy_for_a_limited_number_of_guesses():
    # RFC 8628 §5.1's example has 8 characters of base-20 (34.5 bits); ours has more.
    assert USER_CODE_LENGTH * math.log2(len(OOB_ALPHABET)) > 38


def test_what_a_person_types_is_read_as_the_stored_code():
    assert user_code_as_stored("wdjb-mjht") == "WDJB-MJHT"
    assert user_code_as_stored(" WDJBMJHT ") == "WDJB-MJHT"
    assert user_code_as_stored("wdjb mjht") == "WDJB-MJHT"


def test_what_cannot_be_a_user_code_is_not_looked_up():
    for typed in ["", "WDJB-MJH", "WDJB-MJHTX", "WDJB-MJH0", "WDJB-MJHI", "WDJB_MJHT", "ÄDJB-MJHT"]:
        assert user_code_as_stored(typed) == "", typed
