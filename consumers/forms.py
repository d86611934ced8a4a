"""Input rules for the developer's client pages: register and edit."""
from django import forms

from consumers.scopes import SCOPES


class ConsumerChangeForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Shown to people when your app asks for access.")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the app does; shown on the authorization page.",
    )
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    callback_url = forms.URLField(
        label="Callback URL", required=False, assume_scheme="https", max_length=200,
        help_text="OAuth callbacks must fall under this URL (same scheme and host, path prefix). "
                  "Leave empty if your app only uses oob (the user copies a verifier).",
    )


class ConsumerRegisterForm(ConsumerChangeForm):
    scopes = forms.MultipleChoiceField(
        choices=[(name, f"{name} — {text}") for name, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        initial=list(SCOPES),
        help_text="What the client key may do. Fixed once registered.",
        error_messages={"required": "Choose at least one scope."},
    )
