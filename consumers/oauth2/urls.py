"""OAuth 2.0 pages (docs/contract.md, "URLs"): the consent page. (The token endpoints are API URLs:
`apiproject.urls`.)"""
from django.urls import re_path

from consumers.oauth2 import device_views, views

urlpatterns = [
    re_path(r"^oauth2/authorize/?$", views.ConsentView.as_view(), name="oauth2-authorize"),
    re_path(r"^oauth2/device/?$", device_views.DeviceView.as_view(), name="oauth2-device"),
]
