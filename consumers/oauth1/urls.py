"""OAuth 1.0a URLs (CONTRACT.md, "URLs"), and the page where users see and revoke the apps they authorized.

The token endpoints answer with or without a trailing slash, directly (no redirect).
"""
from django.urls import path, re_path

from consumers.oauth1 import views

urlpatterns = [
    re_path(r"^oauth/request_token/?$", views.RequestTokenView.as_view(), name="oauth-request-token"),
    re_path(r"^oauth/authorize/?$", views.AuthorizeView.as_view(), name="oauth-authorize"),
    re_path(r"^oauth/access_token/?$", views.AccessTokenView.as_view(), name="oauth-access-token"),
    path("account/apps", views.AuthorizedAppsView.as_view(), name="authorized-apps"),
    path("account/apps/<int:pk>/revoke", views.RevokeAuthorizedAppView.as_view(), name="authorized-app-revoke"),
]
