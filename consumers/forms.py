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


class SignatureDebugForm(forms.Form):
    """A request as the developer's client sends it, for the signature debugger."""
    method = forms.ChoiceField(choices=[(name, name) for name in ("GET", "POST", "PUT", "PATCH", "DELETE")])
    url = forms.CharField(
        label="URL", max_length=4000,
        help_text="As your client requests it, query string included (protocol parameters too, if they "
                  "travel there).",
    )
    authorization = forms.CharField(
        label="Authorization header", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text='The header\'s value, starting with OAuth, if the protocol parameters travel there.',
    )
    body = forms.CharField(
        label="Form body", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="An application/x-www-form-urlencoded body as sent (only such a body is signed).",
    )
