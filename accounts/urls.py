"""The developer's account pages (CONTRACT.md, "URLs"); `billing` and `contact` are named by API errors."""
from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("signup", views.SignupView.as_view(), name="signup"),
    path("account/password", views.PasswordChangeView.as_view(), name="password-change"),
    path("billing", views.BillingView.as_view(), name="billing"),
    path("contact", views.ContactView.as_view(), name="contact"),
]
