"""WSGI entry point for gunicorn and runserver."""
import os

from django.core.wsgi import get_wsgi_application

from apiproject.config import stop_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apiproject.settings")

# Status 4 is gunicorn's "app failed to load": its master then stops. After a worker exits with any
# other status (2 included) it boots another, and the same report repeats until someone kills it.
GUNICORN_APP_LOAD_ERROR = 4

with stop_on_configuration_error(status=GUNICORN_APP_LOAD_ERROR):
    application = get_wsgi_application()
