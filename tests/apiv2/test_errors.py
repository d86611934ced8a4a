"""Every error under /v2 has the guide's four-key body, whoever raised it."""
import pytest
from django.urls import path, re_path
from rest_framework.views import APIView

from apiproject.urls import urlpatterns as project_urlpatterns

ERROR_KEYS = {"status", "message", "additional", "reference"}


class BrokenView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


def broken_django_view(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    re_path(r"^v2/broken/?$", BrokenView.as_view()),
    path("v2/django-broken", broken_django_view),
    *project_urlpatterns,
]
handler404 = "apiproject.error_views.not_found"
handler500 = "apiproject.error_views.server_error"


def assert_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == status
    assert isinstance(body["additional"], str) and isinstance(body["reference"], str)
    return body


def test_unknown_api_url_is_a_json_404(api):
    assert_error(api.get("/v2/nothing/here"), 404)


def test_unknown_api_url_is_a_json_404_even_without_credentials(client, db):
    assert_error(client.get("/v2/nothing"), 404)


def test_unknown_api_url_is_a_json_404_in_debug_mode(client, db, settings):
    settings.DEBUG = True
    assert_error(client.get("/v2nothing"), 404)


def test_method_not_allowed_is_a_json_405(api):
    body = assert_error(api.delete("/v2"), 405)
    assert body["message"] == "Method Not Allowed"


def test_unsupported_media_type_is_a_json_415(api):
    assert_error(api.post("/v2/products", data="<x/>", content_type="application/xml"), 415)


def test_unparseable_json_is_a_json_400(api):
    assert_error(api.post("/v2/products", data="{not json", content_type="application/json"), 400)


@pytest.mark.urls("tests.apiv2.test_errors")
def test_a_bug_in_an_api_view_is_a_json_500(client, db, caplog):
    body = assert_error(client.get("/v2/broken"), 500)
    assert body["message"] == "Internal Server Error"
    assert "a bug" not in body["additional"]
    assert any("Unhandled error" in record.message for record in caplog.records)


@pytest.mark.urls("tests.apiv2.test_errors")
def test_a_bug_outside_drf_under_v2_is_a_json_500(client, db):
    client.raise_request_exception = False
    assert_error(client.get("/v2/django-broken"), 500)


def test_status_needs_no_credentials_and_reports_backing_services(client, db):
    response = client.get("/v2/status")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
