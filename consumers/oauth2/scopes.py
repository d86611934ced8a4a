"""Our scopes as django-oauth-toolkit's: every scope we know, and for each client only the scopes it
was registered with (asked for none, a client gets all of its own)."""
from oauth2_provider.scopes import BaseScopes

from consumers.scopes import SCOPES


class ClientScopes(BaseScopes):
    def get_all_scopes(self):
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(application.scope_list) if application is not None else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)
