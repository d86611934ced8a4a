"""Production settings plus the bench-only URLs (the unauthenticated reference and the Authlib peer).

Never used by the product: `make bench` alone points DJANGO_SETTINGS_MODULE here.
"""
from apiproject.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
