"""A new client secret is shown once: it waits sealed in the session (never in a URL or a log) for the
page after the redirect, which takes it out, so a reload shows nothing. The developer pages and the
admin each keep theirs in a slot of their own."""
from consumers.secret_box import seal, unseal


def secrets_keep(session, slot, shown, **facts):
    """Keep (client, secret) pairs for the next page of `slot`, with `facts` the page tells besides."""
    session[_key(slot)] = {"secrets": [[client.pk, seal(secret)] for client, secret in shown], **facts}


def secrets_take(session, slot, pks=None):
    """({client pk: secret}, facts) waiting in `slot`, taken out of the session. With `pks`, taken only
    when every waiting secret is for one of those clients; else left waiting, and nothing returned."""
    waiting = session.get(_key(slot))
    if not waiting or (pks is not None and any(pk not in pks for pk, _ in waiting["secrets"])):
        return {}, {}
    del session[_key(slot)]
    facts = {name: value for name, value in waiting.items() if name != "secrets"}
    return {pk: unseal(sealed) for pk, sealed in waiting["secrets"]}, facts


def _key(slot):
    return f"consumers:secrets-to-show-once:{slot}"
