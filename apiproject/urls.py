"""Top-level URLs (CONTRACT.md, "URLs")."""
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from apiproject import error_views
from apiv2.views import ApiRootView, NotFoundView

urlpatterns = [
    re_path(r"^v2/?$", ApiRootView.as_view(), name="api-root"),
    path("v2/", include("apiv2.urls")),
    re_path(r"^v2", NotFoundView.as_view()),  # JSON 404 for /v2-anything, whatever DEBUG says
    path("admin/", admin.site.urls),
    path("billing", TemplateView.as_view(template_name="billing.html"), name="billing"),
    path("contact", TemplateView.as_view(template_name="contact.html"), name="contact"),
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
]

handler404 = error_views.not_found
handler500 = error_views.server_error
