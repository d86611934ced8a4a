from django.apps import AppConfig


class Apiv2Config(AppConfig):
    name = "apiv2"
    verbose_name = "API v2"
