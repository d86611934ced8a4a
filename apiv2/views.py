"""The /v2 resources. Views stay thin: authentication, scopes and errors live in their own modules."""
from django.db import connection
from django.urls import reverse
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from access.store.health import reachable
from accounts.policy import account_state
from apiv2.exceptions import error_body
from apiv2.models import Product
from apiv2.serializers import ProductSerializer
from apiv2.throttling import RateLimitHeadersMixin


class ApiRootView(RateLimitHeadersMixin, APIView):
    read_scope = "account:read"

    def get(self, request):
        return Response({
            "account": {"username": request.user.get_username(), "state": account_state(request.user)},
            "auth": {"scheme": request.auth.scheme, "client_key": request.auth.consumer.client_key},
            "scopes": list(request.auth.scopes),
            "links": {
                "products": request.build_absolute_uri(reverse("product-list")),
                "status": request.build_absolute_uri(reverse("api-status")),
            },
        })


class ProductViewSet(RateLimitHeadersMixin, viewsets.ModelViewSet):
    """Only the caller's own products exist here: another account's id is a 404 by construction."""

    serializer_class = ProductSerializer
    read_scope = "products:read"
    write_scope = "products:write"

    def get_queryset(self):
        return Product.objects.filter(owner_id=self.request.user.pk)  # the id: no model checks per request

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class StatusView(APIView):
    """Service health for load balancers and people: no credentials needed."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request):
        checks = {"database": _database_ok(), "cache": reachable()}
        if all(checks.values()):
            return Response({"status": "ok", **{name: "ok" for name in checks}})
        down = ", ".join(name for name, ok in checks.items() if not ok)
        body = error_body(status.HTTP_503_SERVICE_UNAVAILABLE, additional=f"Unreachable: {down}.")
        body.update({name: "ok" if ok else "unreachable" for name, ok in checks.items()})
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)


class LiveView(APIView):
    """Liveness, for an orchestrator deciding whether to restart the process: it answers. It asks
    nothing else (no database, no store), as a restart would not bring those back."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    schema = None  # for operators' tools (docs/contract.md, "URLs"), not part of the API's description

    def get(self, request):
        return Response({"status": "ok"})


class ReadyView(StatusView):
    """Readiness, for a load balancer deciding whether to send requests here: `/v2/status`'s checks
    (the database, and the shared store through the client the requests use), 503 when one fails."""

    schema = None


class NotFoundView(APIView):
    """Any other /v2 URL: a JSON 404 whatever DEBUG says, without asking for credentials."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        raise NotFound()


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False

