"""OAuth 1.0a provider (RFC 5849 with the 1.0a verifier): the one bridge to oauthlib, and its storage."""
