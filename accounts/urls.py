"""The developer's account pages (docs/contract.md, "URLs"); `billing` and `contact` are named by API
errors."""
from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("signup", views.SignupView.as_view(), name="signup"),
    path("account/password", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/security", views.AccountSecurityLogView.as_view(), name="account-security"),
    path("account/api-passwords", views.ApiPasswordsView.as_view(), name="api-passwords"),
    path("account/api-passwords/sign-in-password", views.BasicSignInPasswordView.as_view(),
         name="basic-sign-in-password"),
    path("account/api-passwords/<int:pk>/new", views.ApiPasswordNewView.as_view(), name="api-password-new"),
    path("account/api-passwords/<int:pk>/revoke", views.ApiPasswordRevokeView.as_view(), name="api-password-revoke"),
    # Password reset by email, with Django's views and token generator (one-time, expiring links): the
    # answer takes the same time for any address, requests are limited, the token stays out of access logs.
    path("account/password-reset", views.PasswordResetView.as_view(), name="password-reset"),
    path("account/password-reset/sent", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password-reset-done"),
    path("account/reset/<uidb64>/<token>", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("account/reset/done", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password-reset-complete"),
    path("billing", views.BillingView.as_view(), name="billing"),
    path("contact", views.ContactView.as_view(), name="contact"),
]
