"""Developer documentation pages under /docs/, and the service status for people."""
from django.urls import path

from docs import views

urlpatterns = [
    path("authentication", views.AuthenticationGuideView.as_view(), name="docs-authentication"),
    path("errors/<str:code>", views.error_entry, name="docs-error"),
    path("api", views.ApiReferenceView.as_view(), name="docs-api"),
    path("status", views.service_status, name="service-status"),
]
