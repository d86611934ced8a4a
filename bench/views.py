"""Bench-only views: the same products list as /v2/products, without our authentication."""
from django.contrib.auth import get_user_model
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from apiv2.models import Product
from apiv2.serializers import ProductSerializer

BENCH_USERNAME = "bench"


class ReferenceProductList(ListAPIView):
    """The reference: no authentication, no throttling, the same query and serializer."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    serializer_class = ProductSerializer

    def get_queryset(self):
        owner = get_user_model().objects.get(username=BENCH_USERNAME)
        return Product.objects.filter(owner=owner)
