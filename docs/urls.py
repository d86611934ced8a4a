"""Developer documentation pages under /docs/."""
from django.urls import path

from docs import views

urlpatterns = [
    path("authentication", views.AuthenticationGuideView.as_view(), name="docs-authentication"),
    path("api", views.ApiReferenceView.as_view(), name="docs-api"),
]
