"""Refusals as API errors: each refusal code's HTTP status, and the exception that carries a refusal
through DRF to the one exception handler (`apiv2.exceptions`), which gives the guide's four-key body.

The words themselves are the refusal's (`access.refusals`), so the pages say the same.
"""
from django.urls import NoReverseMatch, reverse
from rest_framework import status
from rest_framework.exceptions import APIException

from access import refusals
from accounts import payment_notices

STATUS = {
    refusals.MalformedRequest.code: status.HTTP_400_BAD_REQUEST,
    refusals.ClientKeyMissing.code: status.HTTP_400_BAD_REQUEST,
    refusals.InvalidCredentials.code: status.HTTP_401_UNAUTHORIZED,
    refusals.ClientKeyInvalid.code: status.HTTP_403_FORBIDDEN,
    refusals.ClientKeyNotOwned.code: status.HTTP_403_FORBIDDEN,
    refusals.AppNotApproved.code: status.HTTP_403_FORBIDDEN,
    refusals.AccountLocked.code: status.HTTP_403_FORBIDDEN,
    refusals.AccountDisabled.code: status.HTTP_403_FORBIDDEN,
    refusals.InsufficientScope.code: status.HTTP_403_FORBIDDEN,
    refusals.TooManyFailedAttempts.code: status.HTTP_429_TOO_MANY_REQUESTS,
    refusals.SecretsUnreadable.code: status.HTTP_503_SERVICE_UNAVAILABLE,
    refusals.SharedStateUnavailable.code: status.HTTP_503_SERVICE_UNAVAILABLE,
    # The payment provider's notices (`POST /billing/notifications`).
    payment_notices.NoticesOff.code: status.HTTP_503_SERVICE_UNAVAILABLE,
    payment_notices.BadSignature.code: status.HTTP_401_UNAUTHORIZED,
    payment_notices.StaleNotice.code: status.HTTP_401_UNAUTHORIZED,
    payment_notices.MalformedNotice.code: status.HTTP_400_BAD_REQUEST,
    payment_notices.UnknownAccount.code: status.HTTP_422_UNPROCESSABLE_ENTITY,
    payment_notices.WrongCurrency.code: status.HTTP_422_UNPROCESSABLE_ENTITY,
    payment_notices.AlreadyRecorded.code: status.HTTP_409_CONFLICT,
}


class ApiError(APIException):
    """A refusal on its way through DRF: its status, the guide's `message` and `additional`, and
    `reference_url`, the absolute URL of the page that helps, resolved against the request so the
    link points at this deployment."""

    def __init__(self, refusal):
        self.refusal = refusal
        self.status_code = STATUS[refusal.code]
        self.message, self.additional = refusal.message, refusal.additional
        self.wait = getattr(refusal, "wait", None)  # for Retry-After
        super().__init__(detail=self.message)

    def reference_url(self, request):
        return reference_url(self.refusal, request)


def reference_url(refusal, request):
    """The absolute URL of the page that helps with `refusal`, or ""."""
    if not refusal.help_page or request is None:
        return ""
    try:
        return request.build_absolute_uri(reverse(refusal.help_page))
    except NoReverseMatch:
        return ""
