"""The Consumer Registration URL, /apps/ (docs/contract.md, "URLs")."""
from django.urls import path

from consumers import views

urlpatterns = [
    path("", views.ConsumerListView.as_view(), name="consumer-list"),
    path("new", views.ConsumerRegisterView.as_view(), name="consumer-register"),
    path("<int:pk>/", views.ConsumerDetailView.as_view(), name="consumer-detail"),
    path("<int:pk>/usage", views.ConsumerUsageView.as_view(), name="consumer-usage"),
    path("<int:pk>/secret", views.ConsumerSecretView.as_view(), name="consumer-secret"),
    path("<int:pk>/edit", views.ConsumerEditView.as_view(), name="consumer-edit"),
    path("<int:pk>/rotate-secret", views.ConsumerRotateSecretView.as_view(), name="consumer-rotate-secret"),
    path("<int:pk>/expire-previous-secret", views.ConsumerPreviousSecretExpireView.as_view(),
         name="consumer-expire-previous-secret"),
    path("<int:pk>/revoke", views.ConsumerRevokeView.as_view(), name="consumer-revoke"),
    path("<int:pk>/signature-debug", views.ConsumerSignatureDebugSwitchView.as_view(),
         name="consumer-signature-debug"),
]
