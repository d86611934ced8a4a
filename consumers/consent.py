"""What the consent pages of both protocols share (OAuth 1.0a's authorize page, OAuth 2.0's consent
page): who may approve now, asked of the gate and told in words for people; the refusal page; the
header for people who only approve apps. One template, `oauth/authorize.html`, shows the request."""
from django.shortcuts import render
from django.urls import reverse

from access.refusals import AppNotApproved
from consumers.gate import client_refusal, user_refusal
from consumers.scopes import scopes_in_words
from consumers.selectors import consumers_of

NOT_VALID = "This authorization request is not valid"


def consent_refusal_page(request, client, scheme):
    """A page saying why `request.user` cannot authorize `client` now, or None when she can."""
    refusal = client_refusal(client, request.user, scheme=scheme)
    if isinstance(refusal, AppNotApproved):
        return refused(request, 403, refusal.message, refusal.additional)
    if refusal is not None:
        return refused(request, 403, "This app cannot be authorized",
                       "Its client key has been revoked or its developer's access is disabled.")
    refusal = user_refusal(request.user)
    if refusal is not None:
        link = request.build_absolute_uri(reverse(refusal.help_page)) if refusal.help_page else ""
        return refused(request, 403, refusal.message, refusal.additional, link)
    return None


def refused(request, status, title, text, link=""):
    return render(request, "oauth/refused.html", {"title": title, "text": text, "link": link}, status=status)


def quiet_header(request):
    """People who only approve apps get the consent pages without the developer menu."""
    return not consumers_of(request.user).exists()


def consent_context(request, *, client, scopes, destination, form_action, hidden_fields=()):
    """What `oauth/authorize.html` shows: the app, its developer, the scopes in words, where Authorize
    leads (a host, or None for a code shown on the page), and where the form posts."""
    return {
        "consumer": client,
        "developer": client.user,
        "scopes": scopes_in_words(scopes),
        "destination": destination,
        "quiet_header": quiet_header(request),
        "form_action": form_action,
        "hidden_fields": list(hidden_fields),
    }
