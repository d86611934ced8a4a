"""WSGI entry point for gunicorn and runserver."""
import gc
import os

from django.core.wsgi import get_wsgi_application

from apiproject.config import stop_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apiproject.settings")

# Status 4 is gunicorn's "app failed to load": its master then stops. After a worker exits with any
# other status (2 included) it boots another, and the same report repeats until someone kills it.
GUNICORN_APP_LOAD_ERROR = 4
# A request makes a few thousand container objects, nearly all freed by reference counting when it
# ends; at Python's default (700) the collector would run several times per request over objects
# still in use. Collecting every ~10,000 allocations keeps cycles short-lived all the same.
YOUNG_GENERATION_THRESHOLD = 10_000


def settle():
    """Load what the first request would load (the URLconf, and through it every view), then move
    everything loaded so far out of the collector's generations (`gc.freeze`): those objects live as
    long as the process, and every full collection would walk them again (about 100,000 objects,
    tens of milliseconds each time, in the middle of somebody's request)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])


with stop_on_configuration_error(status=GUNICORN_APP_LOAD_ERROR):
    application = get_wsgi_application()
    settle()
