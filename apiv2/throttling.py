"""Rate limits per client key, counted in the shared cache so every worker sees one count."""
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ClientKeyRateThrottle(SimpleRateThrottle):
    scope = "client_key"

    def get_rate(self):
        # Read at call time (DRF binds rates at import), so a settings change applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        consumer = getattr(request.auth, "consumer", None)
        if consumer is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": consumer.client_id}
