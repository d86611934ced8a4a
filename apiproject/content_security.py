"""Sends the site's Content-Security-Policy (the CONTENT_SECURITY_POLICY setting) with every HTML page.

Django 5.2 has no CSP of its own. Every script and style of ours is a file under /static (none
inline), so the policy allows only this origin: an injected script or style would not run.
"""
from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Outermost, so every HTML answer gets the policy: views, error pages, the admin, refusals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and HEADER not in response:
            response[HEADER] = settings.CONTENT_SECURITY_POLICY
        return response
