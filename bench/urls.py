"""The product's URLs plus the bench-only ones."""
from django.urls import path

from apiproject.urls import handler404, handler500, urlpatterns as product_urlpatterns  # noqa: F401
from bench.views import AuthlibProductList, DotProductList, ReferenceProductList

urlpatterns = [
    path("bench/reference/products", ReferenceProductList.as_view()),
    path("bench/authlib/products", AuthlibProductList.as_view()),
    path("bench/dot/products", DotProductList.as_view()),
    *product_urlpatterns,
]
