"""The HMAC-SHA1 signature of a base string (RFC 5849 §3.4.2), as oauthlib's public
`sign_hmac_sha1_with_client` computes it, at a fraction of its cost: the verifier signs with every client
secret in force on every signed request. The key's secrets are percent-encoded by `base_string.escape`
(oauthlib goes through `urllib.parse.quote`), the HMAC is one call into OpenSSL.
`tests/oauth1/test_base_string.py` holds it to oauthlib's function on random secrets and base strings."""
import base64
import hmac

from consumers.oauth1.base_string import escape


def hmac_sha1_signature(base_string, client_secret, resource_owner_secret):
    """oauthlib's `signature.sign_hmac_sha1_with_client(base_string, client)` for a client with these secrets."""
    key = f"{escape(client_secret or '')}&{escape(resource_owner_secret or '')}"
    return base64.b64encode(hmac.digest(key.encode("utf-8"), base_string.encode("utf-8"), "sha1")).decode()
