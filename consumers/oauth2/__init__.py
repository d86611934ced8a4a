"""OAuth 2.0 for the registered clients, on django-oauth-toolkit: the validator (storage), the server
(which grants, and where the gate is asked), the consent page."""
