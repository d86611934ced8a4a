"""OAuth 1.0a pages (docs/contract.md, "URLs"): the authorize page, and the page where users see and revoke
the apps they authorized. (The token endpoints are API URLs: `apiproject.urls`.)"""
from django.urls import path, re_path

from consumers.oauth1 import views

urlpatterns = [
    re_path(r"^oauth/authorize/?$", views.AuthorizeView.as_view(), name="oauth-authorize"),
    path("account/apps", views.AuthorizedAppsView.as_view(), name="authorized-apps"),
    path("account/apps/<int:pk>/revoke", views.RevokeAuthorizedAppView.as_view(), name="authorized-app-revoke"),
    path("account/apps/app/<int:app>/revoke", views.RevokeAuthorizedAppView.as_view(),
         name="authorized-app-revoke-app"),
]
