"""What drf-spectacular cannot infer about /v2: our auth schemes, the root's body, the error shape.

Loaded once from `DocsConfig.ready`; the hooks are named in SPECTACULAR_SETTINGS.
"""
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiViewExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

from consumers.scopes import SCOPES

ERROR_STATUSES = {
    "400": "Bad request, e.g. no client key given",
    "401": "Could not authenticate",
    "403": "Refused: client key, account state or scope",
    "404": "Not found: another account's product is a 404 too, as is a page past the last",
    "429": "Too many requests",
    "503": "A backing service (database, nonce store) could not be reached",
}
BODY_ERROR_STATUSES = {"415": "Unsupported media type: send JSON or form-encoded bodies"}


class ClientKeyBasicScheme(OpenApiAuthenticationExtension):
    """HTTP Basic AND a client key, in the `X-Client-Key` header OR the `client_key` parameter."""

    target_class = "apiv2.schemes.basic.ClientKeyBasicAuthentication"
    name = ["basicAuth", "clientKeyHeader", "clientKeyQuery"]

    def get_security_requirement(self, auto_schema):
        return [{"basicAuth": [], "clientKeyHeader": []}, {"basicAuth": [], "clientKeyQuery": []}]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "basic"},
            {"type": "apiKey", "in": "header", "name": "X-Client-Key"},
            {"type": "apiKey", "in": "query", "name": "client_key"},
        ]


class OAuth1Scheme(OpenApiAuthenticationExtension):
    """OpenAPI has no OAuth 1.0a type, and a stand-in (an `Authorization` apiKey) would be offered in
    Swagger UI's Authorize dialog, where it cannot work: a signature is made per request, not pasted
    once. So the document leaves it out; the guide (/docs/authentication, named in the description)
    describes it."""

    target_class = "apiv2.schemes.oauth1.OAuth1Authentication"
    name = []

    def get_security_requirement(self, auto_schema):
        return None

    def get_security_definition(self, auto_schema):
        return []


class OAuth2Scheme(OpenApiAuthenticationExtension):
    """OAuth 2.0 Bearer tokens (RFC 6750) from our authorization server: authorization code with PKCE,
    and client credentials (the client's owner)."""

    target_class = "apiv2.schemes.oauth2.OAuth2Authentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        scopes = dict(SCOPES)
        return {
            "type": "oauth2",
            "description": "`Authorization: Bearer <token>`; see /docs/authentication.",
            "flows": {
                "authorizationCode": {"authorizationUrl": "/oauth2/authorize", "tokenUrl": "/oauth2/token",
                                      "refreshUrl": "/oauth2/token", "scopes": scopes},
                "clientCredentials": {"tokenUrl": "/oauth2/token", "scopes": scopes},
            },
        }


class ApiRootSchema(OpenApiViewExtension):
    target_class = "apiv2.views.ApiRootView"

    def view_replacement(self):
        body = inline_serializer("ApiRoot", {
            "account": inline_serializer("ApiRootAccount", {
                "username": serializers.CharField(), "state": serializers.CharField(),
            }),
            "auth": inline_serializer("ApiRootAuth", {
                "scheme": serializers.CharField(), "client_key": serializers.CharField(),
            }),
            "scopes": serializers.ListField(child=serializers.CharField()),
            "links": serializers.DictField(child=serializers.URLField()),
        })

        class Fixed(self.target_class):
            @extend_schema(summary="The authenticated account, scheme and scopes", tags=["account"],
                           description="Needs the `account:read` scope.", responses={200: body})
            def get(self, request):
                return super().get(request)

        return Fixed


class ProductsSchema(OpenApiViewExtension):
    """The queryset needs a signed-in owner; the generator has none, so give it an empty one."""

    target_class = "apiv2.views.ProductViewSet"

    def view_replacement(self):
        class Fixed(self.target_class):
            def get_queryset(self):
                if getattr(self, "swagger_fake_view", False):
                    return self.serializer_class.Meta.model.objects.none()
                return super().get_queryset()

        return Fixed


class StatusSchema(OpenApiViewExtension):
    target_class = "apiv2.views.StatusView"

    def view_replacement(self):
        body = inline_serializer("Status", {
            "status": serializers.CharField(), "database": serializers.CharField(),
            "cache": serializers.CharField(),
        })

        class Fixed(self.target_class):
            @extend_schema(summary="Service health; no credentials needed",
                           responses={200: body, 503: body})
            def get(self, request):
                return super().get(request)

        return Fixed


def only_the_api(endpoints, **kwargs):
    """Preprocessing hook: document /v2 resources, not the catch-all 404 or the schema itself.

    Paths are shown without the optional trailing slash (`/?` in the routes), the form clients use.
    """
    return [
        (path.rstrip("/") or "/", regex, method, view) for path, regex, method, view in endpoints
        if path.startswith("/v2") and getattr(view, "cls", view).__name__ not in {"NotFoundView", "ApiSchemaView"}
    ]


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: every authenticated operation may answer the guide's four-key error."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["status", "message", "additional", "reference"],
        "properties": {
            "status": {"type": "integer", "description": "Equals the HTTP status."},
            "message": {"type": "string"},
            "additional": {"type": "string"},
            "reference": {"type": "string", "description": "A page that helps, or empty."},
        },
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or not operation.get("security"):
                continue
            statuses = {**ERROR_STATUSES, **(BODY_ERROR_STATUSES if "requestBody" in operation else {})}
            for code, text in statuses.items():
                operation["responses"].setdefault(code, {"description": text, "content": error})
    return result
