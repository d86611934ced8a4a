"""Top-level URLs (docs/contract.md, "URLs")."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts.views import SignInView
from apiproject import error_views
from apiv2.device_authorization import DeviceAuthorizationView
from apiv2.oauth2_endpoints import (
    AuthorizationServerMetadataView,
    OAuth2IntrospectView,
    OAuth2RevokeView,
    OAuth2TokenView,
)
from apiv2.payment_notices import PaymentNoticeView
from apiv2.token_endpoints import AccessTokenView, RequestTokenView
from apiv2.views import ApiRootView, NotFoundView

urlpatterns = [
    re_path(r"^v2/?$", ApiRootView.as_view(), name="api-root"),
    path("v2/", include("apiv2.urls")),
    re_path(r"^v2", NotFoundView.as_view()),  # JSON 404 for /v2-anything, whatever DEBUG says
    # OAuth 1.0a token endpoints: with or without a trailing slash, directly (no redirect).
    re_path(r"^oauth/request_token/?$", RequestTokenView.as_view(), name="oauth-request-token"),
    re_path(r"^oauth/access_token/?$", AccessTokenView.as_view(), name="oauth-access-token"),
    # OAuth 2.0's endpoints for clients: with or without a trailing slash, directly (no redirect).
    re_path(r"^oauth2/token/?$", OAuth2TokenView.as_view(), name="oauth2-token"),
    re_path(r"^oauth2/revoke_token/?$", OAuth2RevokeView.as_view(), name="oauth2-revoke-token"),
    re_path(r"^oauth2/introspect/?$", OAuth2IntrospectView.as_view(), name="oauth2-introspect"),
    re_path(r"^oauth2/device_authorization/?$", DeviceAuthorizationView.as_view(),
            name="oauth2-device-authorization"),  # RFC 8628; its page, /oauth2/device, is with the consent page
    path(".well-known/oauth-authorization-server", AuthorizationServerMetadataView.as_view(),
         name="oauth2-metadata"),
    path("", include("consumers.oauth2.urls")),  # /oauth2/authorize, /oauth2/device
    path("admin/", admin.site.urls),
    path("", include("consumers.oauth1.urls")),  # /oauth/..., /account/apps
    path("login", SignInView.as_view(next_page="home"), name="login"),
    path("logout", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("apps/", include("consumers.urls")),
    path("docs/", include("docs.urls")),
    # The payment provider's signed notifications (README, "Payments"); JSON in, JSON out.
    path("billing/notifications", PaymentNoticeView.as_view(), name="billing-notifications"),
    path("", include("accounts.urls")),  # home, signup, password, billing, contact
    # For clients that ask for /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
]

handler400 = error_views.bad_request
handler403 = error_views.permission_denied
handler404 = error_views.not_found
handler500 = error_views.server_error
