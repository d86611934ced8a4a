"""Template filters every page uses without `{% load %}` (TEMPLATES' `builtins`): one way to show a
date and one way to show money, site-wide, and the few helpers pages share."""
from datetime import timezone as dt_timezone
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

DATE_FORMAT = "%Y-%m-%d %H:%M UTC"


@register.filter
def when(value):
    """A moment as `<time>`: 2026-11-29 08:43 UTC, machine-readable in `datetime`."""
    if not value:
        return ""
    moment = timezone.localtime(value, dt_timezone.utc) if timezone.is_aware(value) else value
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(timespec="seconds"),
                       moment.strftime(DATE_FORMAT))


@register.filter
def money(amount):
    """An amount with two places and the currency: 49.90 USD."""
    return f"{Decimal(amount).quantize(Decimal('0.01'))} {settings.BILLING_CURRENCY}"


@register.simple_tag
def currency():
    return settings.BILLING_CURRENCY


@register.filter
def mention(messages, words):
    """Whether one of the request's messages says `words`: for a page that a view's answer changes."""
    return any(words in str(message) for message in messages)
