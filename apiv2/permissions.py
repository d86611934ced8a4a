"""Scope checks: a view names the scope each method needs; the credentials must hold it."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from access.refusals import InsufficientScope
from apiv2.errors import ApiError


class HasRequiredScope(BasePermission):
    """Views set `read_scope` and `write_scope`; a view with neither needs no scope."""

    def has_permission(self, request, view):
        needed = getattr(view, "read_scope" if request.method in SAFE_METHODS else "write_scope", None)
        if not needed:
            return True
        held = getattr(request.auth, "scopes", ())
        if needed not in held:
            raise ApiError(InsufficientScope(needed))
        return True
