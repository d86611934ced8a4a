"""Input rules for the developer's own account pages: signup, signing in (here and in the admin), API
passwords and the sign-in password's place in HTTP Basic."""
import math

from django import forms
from django.contrib.auth import authenticate, get_user_model
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


class ApiPasswordCreateForm(forms.Form):
    """The name of a new API password; `api_password_create` holds the rules about how many and which names."""

    name = forms.CharField(
        max_length=100, help_text="What it is for, e.g. “Nightly backup script”: only you see it.",
    )


class SignInPasswordConfirmation(forms.Form):
    """The signed-in person's sign-in password, asked again before a change to how the account signs in.
    The check is `authenticate()`'s, so a wrong one counts as a failed sign-in, as on the sign-in page."""

    password = forms.CharField(
        label="Your sign-in password", strip=False, help_text="To confirm it is you.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password is not None:
            user = self.request.user
            verified = authenticate(self.request, username=user.get_username(), password=password)
            if verified is None or verified.pk != user.pk:
                raise forms.ValidationError("That is not your sign-in password.", code="wrong_password")
        return cleaned


class BasicSignInPasswordForm(CoolingOffMessage, SignInPasswordConfirmation):
    """Turn the sign-in password on or off for HTTP Basic (`account_basic_sign_in_password_set`)."""

    allowed = forms.TypedChoiceField(choices=[("on", "on"), ("off", "off")], coerce=lambda value: value == "on",
                                     widget=forms.HiddenInput)
