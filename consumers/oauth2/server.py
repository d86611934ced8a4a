"""The OAuth 2.0 server: oauthlib's, serving only our grants, with our rules hooked in.

Authorization code (PKCE, S256 only), refresh token (rotated on use), client credentials and the device
code (RFC 8628); no implicit and no password grant. Before any token is issued the gate is asked
(`consumers.oauth2.policy.token_gate`). django-oauth-toolkit builds it (`OAUTH2_SERVER_CLASS`). The
token exchange from OAuth 1.0a is signed with OAuth 1.0a, not client-authenticated, so it takes its own
path at the token endpoint (`apiv2.token_exchange`).
"""
from oauthlib.oauth2 import Server as OAuthlibServer
from oauthlib.oauth2.rfc6749.endpoints.authorization import AuthorizationEndpoint
from oauthlib.oauth2.rfc6749.endpoints.token import TokenEndpoint

from consumers.oauth2.device import device_code_spend
from consumers.oauth2.policy import pkce_s256_only, token_gate

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # RFC 8693, from OAuth 1.0a
# What the metadata (RFC 8414) announces: the grants of the token endpoint's row (docs/contract.md, "URLs").
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials", DEVICE_CODE, TOKEN_EXCHANGE)
RESPONSE_TYPES = ("code",)
CODE_CHALLENGE_METHODS = ("S256",)


class Server(OAuthlibServer):
    def __init__(self, request_validator, *args, **kwargs):
        super().__init__(request_validator, *args, **kwargs)
        self.auth_grant.custom_validators.post_auth.append(pkce_s256_only)
        AuthorizationEndpoint.__init__(
            self, default_response_type="code", response_types={"code": self.auth_grant},
            default_token_type=self.bearer,
        )
        grants = self.token_grants()
        for grant in grants.values():
            grant.custom_validators.post_token.append(token_gate)
        # Once the gate lets the tokens go: a device code gives tokens once (RFC 8628 §3.5).
        self.device_code_grant.custom_validators.post_token.append(device_code_spend)
        TokenEndpoint.__init__(
            self, default_grant_type="authorization_code", grant_types=grants, default_token_type=self.bearer,
        )

    def token_grants(self):
        """`grant_type` -> grant served at the token endpoint (a grant added here is gated too)."""
        return {
            "authorization_code": self.auth_grant,
            "refresh_token": self.refresh_grant,
            "client_credentials": self.credentials_grant,
            DEVICE_CODE: self.device_code_grant,
        }
