"""Bench-only views: the API's own products view (`ProductViewSet`), without our authentication (the
reference) or behind a peer's (Authlib's OAuth 1, django-oauth-toolkit's OAuth 2)."""
from django.contrib.auth import get_user_model
from rest_framework.permissions import AllowAny, IsAuthenticated

from apiv2.models import Product
from apiv2.views import ProductViewSet

BENCH_USERNAME = "bench"


class ReferenceProducts(ProductViewSet):
    """The reference: the same view class, routed the same way (`bench.urls`), with no authentication,
    no scopes and no throttling; the same query and serializer.

    The same query means `owner_id = <id>`, as the API's list sends it: the bench user's id is looked
    up once per process (a join on the username in every request would make the reference dearer than
    the view it stands for, and flatter every ratio)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    http_method_names = ["get", "head", "options"]
    owner_id = None

    def get_queryset(self):
        if ReferenceProducts.owner_id is None:
            ReferenceProducts.owner_id = get_user_model().objects.get(username=BENCH_USERNAME).pk
        return Product.objects.filter(owner_id=ReferenceProducts.owner_id)


class PeerProducts(ReferenceProducts):
    """The same view behind someone else's authentication (`get_authenticators`): the caller's own products."""

    permission_classes = [IsAuthenticated]
    get_queryset = ProductViewSet.get_queryset


class AuthlibProducts(PeerProducts):
    """The peer: Authlib's OAuth 1 resource protector in front of the same view."""

    def get_authenticators(self):
        from bench.authlib_peer import AuthlibOAuth1Authentication  # Authlib is a bench-only dependency

        return [AuthlibOAuth1Authentication()]


class DotProducts(PeerProducts):
    """The OAuth 2.0 peer: django-oauth-toolkit's own DRF authentication in front of the same view."""

    def get_authenticators(self):
        from oauth2_provider.contrib.rest_framework import OAuth2Authentication

        return [OAuth2Authentication()]
