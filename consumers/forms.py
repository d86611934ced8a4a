"""Input rules for the client pages: the developer's register, edit and rotate, staff's add and review note."""
from urllib.parse import urlsplit

from django import forms

from consumers.models import Consumer
from consumers.scopes import SCOPES
from consumers.services import ROTATION_OVERLAPS
from consumers.validators import validate_callback_url

# Least privilege: what a new client may read is ticked; writing is the developer's choice.
DEFAULT_SCOPES = [name for name in SCOPES if name.endswith(":read")]


class ConsumerChangeForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Shown to people when your app asks for access.")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the app does; shown on the authorization page.",
    )
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    callback_url = forms.CharField(
        label="Callback URL", required=False, max_length=200, validators=[validate_callback_url],
        widget=forms.URLInput,
        help_text="OAuth callbacks must fall under this URL (same scheme and host, path prefix). "
                  "Leave empty if your app only uses oob (the user copies a verifier).",
    )


class ConsumerRegisterForm(ConsumerChangeForm):
    scopes = forms.MultipleChoiceField(
        choices=[(name, f"{name} — {text}") for name, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_SCOPES,
        help_text="What the client key may do. Fixed once registered: tick only what the app needs.",
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

    def clean_url(self):
        """An absolute http(s) URL the way a client sends it; anything else is this field's error
        (a broken IPv6 host, say), never a page that fails."""
        url = self.cleaned_data["url"].strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 -- reading it is what checks it (a port that is no number raises)
        except ValueError as error:
            raise forms.ValidationError(
                "This URL cannot be read (%(error)s). Enter it as your client requests it, for example "
                "https://api.example.com/v2/products?page=2.", params={"error": error}, code="unreadable") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise forms.ValidationError(
                "Enter the full URL with http:// or https:// and the host, as your client requests it.",
                code="not_absolute")
        return url


class SecretRotateForm(forms.Form):
    overlap = forms.TypedChoiceField(
        label="The old secret",
        choices=[("1h", "keeps working for 1 hour"), ("24h", "keeps working for 24 hours"),
                 ("0", "stops working now (if it may have leaked)")],
        initial="1h", widget=forms.RadioSelect, coerce=ROTATION_OVERLAPS.get,
        help_text="While both work, deploy the new secret to your app; after that only the new one works.",
    )


# --- Staff, in the admin ---------------------------------------------------------------------------


class ConsumerAdminAddForm(forms.ModelForm):
    """Staff register a client for a customer: the developer's choices, with the same rules, plus the owner."""

    scopes = ConsumerRegisterForm.base_fields["scopes"]
    callback_url = ConsumerRegisterForm.base_fields["callback_url"]
    website = ConsumerRegisterForm.base_fields["website"]

    class Meta:
        model = Consumer
        fields = ("user", "name", "scopes", "callback_url", "description", "website")
        labels = {"user": "Owner"}

    def clean_scopes(self):
        return " ".join(self.cleaned_data["scopes"])  # as the model stores them


class ReviewNoteForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Optional. Shown to the developer on the app's page; leave empty for none.",
    )
