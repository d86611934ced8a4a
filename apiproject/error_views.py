"""Django's 404 and 500 handlers: JSON in the contract's shape for API URLs, pages elsewhere."""
from django.views import defaults

from apiv2.exceptions import is_api_path, json_error_response


def not_found(request, exception=None):
    if is_api_path(request.path):
        return json_error_response(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_path(request.path):
        return json_error_response(500)
    return defaults.server_error(request)
