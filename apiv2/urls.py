"""/v2 URLs below the root. Each answers with and without a trailing slash, directly (no redirect)."""
from django.urls import re_path
from rest_framework.routers import SimpleRouter

from apiv2 import views
from docs.views import ApiSchemaView


class OptionalSlashRouter(SimpleRouter):
    """DRF's router with `/?` for the slash: many clients drop `Authorization` on a redirect."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("products", views.ProductViewSet, basename="product")

urlpatterns = [
    *router.urls,  # first: the API's own requests are tried against the fewest patterns
    re_path(r"^status/?$", views.StatusView.as_view(), name="api-status"),
    re_path(r"^live/?$", views.LiveView.as_view(), name="api-live"),
    re_path(r"^ready/?$", views.ReadyView.as_view(), name="api-ready"),
    re_path(r"^schema/?$", ApiSchemaView.as_view(), name="api-schema"),  # OpenAPI 3, public
]
