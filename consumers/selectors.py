"""Reads of registered clients: by key for the schemes, a developer's own for the pages, and what
users gave a client (who authorized it, its live tokens) for its page."""
from collections import Counter
from dataclasses import dataclass

from django.db.models import F

from access.storable import storable
from accounts.policy import attach_loaded_state
from accounts.verified_passwords import fingerprint_of_hash
from consumers.lookup_cache import CONSUMER, remember, remembered, remembered_in, row_data, row_from
from consumers.models import Consumer, ReviewStatus
from consumers.oauth1.models import AccessToken as OAuth1AccessToken
from consumers.oauth2.selectors import client_live_tokens
from consumers.scopes import scopes_in_words


def consumer_get_by_key(client_key, found=None):
    """The client with this key, revoked or not, or None: with its owner and the owner's account
    state, from the shared cache or in one query. `found`: a batch the caller read from the cache,
    holding `snapshot_key(CONSUMER, client_key)`."""
    if not client_key:
        return None
    data = remembered((CONSUMER, client_key))[0] if found is None else remembered_in(found, CONSUMER, client_key)
    return consumer_load(client_key) if data is None else consumer_from_snapshot(data)


def consumer_key_exists(client_key):
    """Is there a client with this key, revoked or not? From its snapshot when one is remembered, else
    one query that remembers nothing: a refusal's note (`consumers.usage`) leaves only the note."""
    if not client_key:
        return False
    if remembered((CONSUMER, client_key))[0] is not None:
        return True
    return storable(client_key) and Consumer.objects.filter(client_id=client_key).exists()


def consumer_load(client_key):
    """From the database, remembering a client found (see `lookup_cache.UNKNOWN`)."""
    consumer = consumer_queryset().filter(client_id=client_key).first() if storable(client_key) else None
    if consumer is not None:
        consumer_prepare(consumer)
        remember(CONSUMER, client_key, consumer_snapshot(consumer))
    return consumer


# A client's snapshot: its columns, and its owner with the owner's account state and password fingerprint.
OWNER = {"user": (("loaded_api_state", "password_fingerprint"), None)}


def consumer_snapshot(consumer):
    return row_data(consumer, related=OWNER)


def consumer_from_snapshot(data):
    return row_from(Consumer, data)


def consumer_queryset():
    return Consumer.objects.select_related("user").defer("user__password").annotate(**owner_columns())


def owner_columns(path=""):
    """Annotations that load a client's owner state and password hash with the client, for
    `consumer_prepare`; `path` leads from the queried model to the client (e.g. "consumer__")."""
    return {"owner_state": F(f"{path}user__api_account__state"), "owner_password": F(f"{path}user__password")}


def consumer_prepare(consumer, loaded_with=None):
    """Attach the owner's state; keep a keyed digest of the owner's password hash, never the hash.
    `loaded_with`: the row that carries `owner_columns` when it is not the client itself."""
    row = loaded_with if loaded_with is not None else consumer
    attach_loaded_state(consumer.user, row.owner_state)
    consumer.user.password_fingerprint = fingerprint_of_hash(row.owner_password)
    del row.owner_state, row.owner_password
    return consumer


def consumers_of(user):
    return Consumer.objects.filter(user=user)


def consumers_usable_of(user):
    """The user's clients whose key works: neither revoked nor rejected in review (one awaiting review
    works for its owner)."""
    return consumers_of(user).active().exclude(review_status=ReviewStatus.REJECTED)


def consumers_listed_of(user):
    """The user's clients as their list shows them: the live ones first, then the revoked, each newest
    first, so an app revoked long ago does not stay at the top."""
    return consumers_of(user).order_by(F("revoked_at").desc(nulls_first=True), "-created", "-id")


OAUTH1, OAUTH2 = "OAuth 1.0a", "OAuth 2.0"


@dataclass(frozen=True)
class LiveTokens:
    """The live tokens of a client that share a protocol, a grant type and scopes."""

    protocol: str
    grant_type: str  # "" for OAuth 1.0a, which has one way to a token
    scopes: tuple  # ((name, words), ...), as the consent page shows them
    access_tokens: int
    refresh_tokens: int


@dataclass(frozen=True)
class ClientAuthorizations:
    users: int  # the people whose account the client may use now, through either protocol
    tokens: list  # `LiveTokens`, OAuth 1.0a first, then by grant type and scopes


def consumer_authorizations(consumer):
    """Who authorized `consumer` and the tokens it holds now: OAuth 1.0a access tokens not revoked,
    OAuth 2.0 tokens that work (`client_live_tokens`). Client-credentials tokens act for the developer
    and are nobody's authorization: they are counted as tokens, not as users. Two queries and one."""
    oauth1 = list(OAuth1AccessToken.objects.live().filter(consumer=consumer).values_list("user_id", "scopes"))
    oauth2 = client_live_tokens(consumer)
    users = {user_id for user_id, _ in oauth1} | {user_id for _, _, user_id, _ in oauth2 if user_id is not None}
    groups = Counter()
    for _, scopes in oauth1:
        groups[(OAUTH1, "", tuple(sorted(scopes.split())), "access")] += 1
    for grant_type, scopes, _, kind in oauth2:
        groups[(OAUTH2, grant_type, scopes, kind)] += 1
    keys = sorted({(protocol, grant_type, scopes) for protocol, grant_type, scopes, _ in groups})
    tokens = [LiveTokens(protocol=protocol, grant_type=grant_type, scopes=scopes_in_words(scopes),
                         access_tokens=groups[(protocol, grant_type, scopes, "access")],
                         refresh_tokens=groups[(protocol, grant_type, scopes, "refresh")])
              for protocol, grant_type, scopes in keys]
    return ClientAuthorizations(users=len(users), tokens=tokens)
