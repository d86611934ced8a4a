"""The payment provider's notification endpoint (`POST /billing/notifications`): a signed notice in,
the payment recorded once, an answer in the guide's JSON shape either way.

Exempt from CSRF, being called by a server, not a browser: the signature is its authentication.
"""
import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from access.client_address import client_address
from access.refusals import Refusal
from accounts import payment_notices
from accounts.policy import account_state
from accounts.selectors import account_balance_due
from accounts.services import account_payment_notice_record
from apiv2.errors import STATUS
from apiv2.exceptions import json_error_response


@method_decorator(csrf_exempt, name="dispatch")
class PaymentNoticeView(View):
    http_method_names = ["post"]

    def post(self, request):
        try:
            notice = payment_notices.payment_notice_read(
                body=request.body, signature=request.headers.get(payment_notices.SIGNATURE_HEADER, ""),
                secret=settings.BILLING_WEBHOOK_SECRET, now=time.time(),
                tolerance=settings.BILLING_WEBHOOK_TOLERANCE_SECONDS)
            entry = account_payment_notice_record(notice=notice, ip=client_address(request))
        except Refusal as refusal:  # the notice's own, or the shared cache not told: nothing was recorded
            return json_error_response(STATUS[refusal.code], refusal.message, refusal.additional)
        user = entry.user
        return JsonResponse({"status": 200, "recorded": notice.notice_id, "account": user.get_username(),
                             "amount": str(entry.amount), "currency": notice.currency,
                             "balance_due": str(account_balance_due(user)), "account_state": account_state(user)})

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = json_error_response(405, additional="Payment notifications are sent with POST.")
        response["Allow"] = "POST"
        return response
