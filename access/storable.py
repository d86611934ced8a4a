"""Which strings a database can hold: a key or a name that it cannot is no key anyone was given.

PostgreSQL refuses text with a NUL, and no database takes a lone surrogate (not UTF-8); asked to look
such a key up, the driver raises instead of finding nothing. Lookups of things callers send (client
keys, tokens, usernames) ask first and treat such a string as unknown.
"""


def storable(text):
    """True when `text` can be stored and looked up as it is (no NUL, encodable as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
