"""Rate limits per client key, counted in the shared cache so every worker sees one count."""
from rest_framework.throttling import SimpleRateThrottle


class ClientKeyRateThrottle(SimpleRateThrottle):
    scope = "client_key"

    def get_cache_key(self, request, view):
        consumer = getattr(request.auth, "consumer", None)
        if consumer is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": consumer.client_id}
