"""RFC 8628's device authorization endpoint (`/oauth2/device_authorization`): a device that cannot show a
browser asks for a device code and a user code, with the same client authentication, rate limit,
gate and error shape as the token endpoint (`apiv2.oauth2_endpoints`).

oauthlib's endpoint validates the request and makes the codes (through the bridge); the gate is asked
of the client before anything is stored, then `consumers.oauth2.device` stores the pending grant.
"""
import json

from django.urls import reverse
from oauth2_provider.settings import oauth2_settings

from access.refusals import refuse_if
from apiv2.oauth2_endpoints import OAuth2EndpointView
from apiv2.oauth2_errors import no_store_response, oauthlib_response
from apiv2.throttling import throttle_client_key
from consumers.gate import OAUTH2, gate
from consumers.oauth2.bridge import device_authorization_core
from consumers.oauth2.device import device_grant_create


class DeviceAuthorizationView(OAuth2EndpointView):
    def answer(self, request):
        interval = oauth2_settings.DEVICE_FLOW_INTERVAL  # read now, so a test's settings apply
        bridge = device_authorization_core(request.build_absolute_uri(reverse("oauth2-device")), interval)
        client = bridge.authenticated_client(request)
        if client is not None:
            throttle_client_key(request, client)
        headers, body, status = bridge.create_device_authorization_response(request)
        if status != 200:
            return oauthlib_response(headers, body if isinstance(body, str) else json.dumps(body), status)
        refuse_if(gate(client=client, user=None, scheme=OAUTH2))
        device_grant_create(client_id=client.client_id, device_code=body["device_code"],
                            user_code=body["user_code"], scopes=body.get("scope", "").split(), interval=interval)
        return no_store_response(body)
