"""The project's URLs plus a page and an API view that fail, for what a person and the logs see of a 500
(`tests.settings_failing`, or `override_settings(ROOT_URLCONF=...)`)."""
from django.urls import path, re_path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from apiproject import urls as project

# Django looks for the handlers in the root URLconf.
handler400, handler403 = project.handler400, project.handler403
handler404, handler500 = project.handler404, project.handler500


def failing_page(request):
    raise RuntimeError("a bug behind a page")


class FailingApiView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request):
        raise RuntimeError("a bug behind the API")


urlpatterns = [
    path("failing-page", failing_page, name="failing-page"),
    re_path(r"^v2/failing$", FailingApiView.as_view(), name="failing-api"),
    *project.urlpatterns,
]
