"""The scopes a client key can hold (docs/contract.md, "Scopes")."""

SCOPES = {
    "account:read": "See your account name and API status",
    "products:read": "Read your products",
    "products:write": "Create, change and delete your products",
}
ALL_SCOPES = tuple(SCOPES)


def scopes_in_words(names):
    """((name, words), ...) for scope names, as the consent page says them."""
    return tuple((name, SCOPES.get(name, "")) for name in names)


def parse_scopes(text):
    """Space-separated scope text to a sorted tuple; unknown names raise ValueError."""
    names = sorted(set((text or "").split()))
    unknown = [name for name in names if name not in SCOPES]
    if unknown:
        raise ValueError(f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(ALL_SCOPES)}.")
    return tuple(names)
