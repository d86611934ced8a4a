"""Each authorization code and each refresh token gives tokens once, and a code used twice ends what
its first use gave (RFC 6749 §4.1.2, §10.5; the OAuth 2.0 Security BCP §4.14).

For the validator's `save_bearer_token`, inside the transaction that stores the new tokens: the code
is spent by a conditional delete and the refresh token is claimed under a row lock before anything
is stored, so of several simultaneous requests with one code or one refresh token exactly one gets
tokens and the others `invalid_grant` (never a half-made answer).

The tokens a code gave are one family (django-oauth-toolkit's `token_family`, which every rotation
of the refresh token keeps), named by the code itself (`code_family`): a later use of the code finds
the family without any record of its own, and `RefreshToken.revoke_family` ends all of it.
"""
import uuid

from django.utils import timezone
from oauth2_provider.models import get_grant_model, get_refresh_token_model
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from access.storable import storable
from consumers.lookup_cache import key_digest

# The name space of the families named by authorization codes (a fixed, random UUID of ours).
CODE_FAMILIES = uuid.UUID("0b5f5d1e-6a43-4c1b-9a57-7f0c3e8d2a61")


def code_family(code):
    """The token family the authorization code `code` gave, or would give."""
    return uuid.uuid5(CODE_FAMILIES, key_digest(code))


def authorization_code_get(*, code, client):
    """The unexpired authorization code `code` of `client`, or None."""
    if not isinstance(code, str) or not storable(code) or client is None:
        return None
    return get_grant_model().objects.select_related("user").filter(
        code=code, application=client, expires__gt=timezone.now()).first()


def authorization_code_without_redirect_uri(code):
    """The authorization request named no redirect URI: the code keeps none, so that the token
    request may name none either (RFC 6749 §4.1.3)."""
    get_grant_model().objects.filter(code=code).update(redirect_uri="")


def authorization_code_spend(request):
    """The code of this token request is used now: deleted, or `InvalidGrantError` when another
    request spent it first."""
    deleted, _ = get_grant_model().objects.filter(pk=request.authorization_code.pk).delete()
    if not deleted:
        raise InvalidGrantError(description="The authorization code was already used.", request=request)


def authorization_code_tokens_name(request, token):
    """The refresh token the code just gave carries the code's family, as its successors will."""
    get_refresh_token_model().objects.filter(token_checksum=key_digest(token["refresh_token"]),
                                             revoked__isnull=True).update(token_family=code_family(request.code))


def authorization_code_reuse_end(code):
    """A code presented again after its use: every token its use gave, rotated ones too, ends now
    (a no-op for a code never used)."""
    if isinstance(code, str) and code and storable(code):
        get_refresh_token_model().revoke_family(code_family(code))


def refresh_token_claim(request):
    """The refresh token of this request, locked until the new tokens are stored; `InvalidGrantError`
    when another request used it meanwhile (then this one waited for it, and finds it revoked)."""
    claimed = (get_refresh_token_model().objects.select_for_update()
               .filter(pk=request.refresh_token_instance.pk, revoked__isnull=True).first())
    if claimed is None:
        raise InvalidGrantError(description="The refresh token was already used.", request=request)
