"""The product's URLs plus the bench-only ones, routed as /v2/products is (an `include` of the API's
router), so that the reference differs from the API only by authentication, not by its route."""
from django.urls import include, path

from apiproject.urls import handler404, handler500, urlpatterns as product_urlpatterns  # noqa: F401
from apiv2.urls import OptionalSlashRouter
from bench.views import AuthlibProducts, DotProducts, ReferenceProducts

router = OptionalSlashRouter()
router.register("reference/products", ReferenceProducts, basename="bench-reference")
router.register("authlib/products", AuthlibProducts, basename="bench-authlib")
router.register("dot/products", DotProducts, basename="bench-dot")

urlpatterns = [
    path("bench/", include(router.urls)),
    *product_urlpatterns,
]
