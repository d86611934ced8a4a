from django.apps import AppConfig


class ConsumersConfig(AppConfig):
    name = "consumers"
    verbose_name = "API clients"

    def ready(self):
        from consumers import (
            checks,  # noqa: F401 - registers the start-up configuration checks
            signals,  # noqa: F401 - connects the cache invalidation receivers
        )
