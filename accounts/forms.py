"""Input rules for the developer's own account pages: signup, and signing in (here and in the admin)."""
import math

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


class SignupForm(UserCreationForm):
    """Username, email and a password that passes the project's AUTH_PASSWORD_VALIDATORS.

    The form only validates; the view creates the account through `account_signup`.
    """

    email = forms.EmailField(
        required=True, help_text="We write here about your account and billing; never shown to others."
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.", code="email_taken")
        return email


class CoolingOffMessage:
    """For a sign-in form: while failed sign-ins from here are cooling off (`accounts.backends` notes
    the wait on the request), say how long to wait instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            wait = getattr(self.request, "failed_login_cool_off", None)
            if wait:
                raise forms.ValidationError(f"Too many failed sign-in attempts. Try again in {wait_in_words(wait)}.",
                                            code="cooling_off") from None
            raise


def wait_in_words(seconds):
    """A wait as a person says it, rounded up: "45 seconds", "1 minute", "15 minutes", "2 hours"."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return _count(seconds, "second")
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return _count(minutes, "minute")
    return _count(math.ceil(minutes / 60), "hour")


def _count(number, unit):
    return f"{number} {unit}{'' if number == 1 else 's'}"


class SignInForm(CoolingOffMessage, AuthenticationForm):
    """The sign-in page's form."""
