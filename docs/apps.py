from django.apps import AppConfig


class DocsConfig(AppConfig):
    name = "docs"
    verbose_name = "Developer documentation"

    def ready(self):
        from docs import schema  # noqa: F401  (registers the OpenAPI extensions)
