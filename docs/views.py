"""Developer documentation: the authentication guide, the /v2 OpenAPI schema and its reference page, and
the service status for people."""
import base64

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from apiv2.views import StatusView
from consumers.oauth1.validator import OAuth1Validator
from consumers.selectors import consumers_usable_of
from docs import client_libraries
from docs.errors import catalogue_anchor, error_catalogue, token_endpoint_errors
from docs.oauth2_examples import oauth2_context
from docs.walkthrough import signed_example, transport_examples

# The guide's blanks, filled from the URL configuration itself so the page cannot drift from it.
OAUTH_URL_NAMES = {
    "request_token": "oauth-request-token",
    "authorize": "oauth-authorize",
    "access_token": "oauth-access-token",
}
PASSWORD_VARIABLE = "$API_PASSWORD"


def example_client_key(user):
    """The signed-in developer's own key for the examples, one that works (not revoked or rejected) and
    may read products, if any."""
    if not user.is_authenticated:
        return None
    clients = list(consumers_usable_of(user))
    readers = [client for client in clients if "products:read" in client.scope_list]
    return (readers or clients or [None])[0]


class AuthenticationGuideView(TemplateView):
    template_name = "docs/authentication.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.user.is_authenticated:  # the examples carry the developer's own client key
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        absolute = self.request.build_absolute_uri
        user = self.request.user
        client = example_client_key(user)
        username = user.get_username() if user.is_authenticated else "USERNAME"
        key = client.client_key if client else "YOUR_CLIENT_KEY"
        products = absolute(reverse("product-list"))
        credentials = f'"{username}:{PASSWORD_VARIABLE}"'
        return super().get_context_data(
            urls={
                "registration": absolute(reverse("consumer-list")),
                **{name: absolute(reverse(url_name)) for name, url_name in OAUTH_URL_NAMES.items()},
                "api_root": absolute(reverse("api-root")),
                "products": products,
                "api_reference": absolute(reverse("docs-api")),
            },
            example_client=client,
            example_username=username,
            curl_header=f'curl -u {credentials} -H "X-Client-Key: {key}" "{products}"',
            curl_query=f'curl -u {credentials} "{products}?client_key={key}"',
            aladdin=base64.b64encode(b"Aladdin:open sesame").decode(),
            errors=error_catalogue(self.request),
            example=signed_example(f"{products}?page=2"),
            transports=transport_examples(products),
            token_errors=token_endpoint_errors(),
            nonce_length=OAuth1Validator.nonce_length,
            plaintext_over_http=settings.DEBUG,
            steps=client_libraries.STEPS,
            libraries=client_libraries.LIBRARIES,
            language_examples=client_libraries.examples(products, absolute("/").rstrip("/")),
            oauth2=oauth2_context(self.request),
            **kwargs,
        )


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI 3 document for /v2: public, YAML by default, JSON on `Accept` or `?format=json`."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class ApiReferenceView(SpectacularSwaggerSplitView):
    """Swagger UI over the schema, its assets served by us (drf-spectacular-sidecar), no CDN; its
    set-up script at `?script`, not inline (the Content-Security-Policy). The site's session is read
    only for the header, which greets the signed-in person as every page does."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = []
    url_name = "api-schema"
    title = "API reference (/v2)"
    template_name = "docs/api_reference.html"
    template_name_js = "docs/api_reference.js"


@never_cache  # a status is now or never
def service_status(request):
    """The footer's "Service status": /v2/status's own answer (the same checks), as a page for people;
    its status code too, so a monitor reading this page sees what one reading the JSON sees."""
    answer = StatusView().get(request)  # its checks alone: dispatching would sign the person out of this page
    checks = {name: answer.data[name] for name in ("database", "cache")}
    return render(request, "docs/status.html", {"ok": answer.status_code == 200, "checks": checks},
                  status=answer.status_code)


def error_entry(request, code):
    """A reason code's entry in the guide's error catalogue (what an app's usage page links each reason
    to): a redirect to its anchor, or to the catalogue when it has no entry of its own."""
    return redirect(f"{reverse('docs-authentication')}#{catalogue_anchor(code)}")
