"""When a client, a token or an API password was last used: written at most about once a minute per
worker and thing, so a warm request neither queries nor writes for it.

A queryset update: it sends no signal, so no snapshot is forgotten for it. A snapshot's `last_used` is
not refreshed by the write, so this process remembers when it last wrote each mark (bounded; the marks
only save writes).
"""
import time
from datetime import timedelta

from django.utils import timezone

LAST_USED_RESOLUTION = timedelta(minutes=1)
MARKS_REMEMBERED = 10_000
_marked_at = {}


def record_last_use(instance, *, key):
    """Record the use of `instance` (a model with `last_used`), named by `key` (keys, not ids: ids come
    back after a rollback)."""
    mark = (type(instance).__name__, key)
    clock = time.monotonic()
    if marked_lately(mark, clock):
        return
    now = timezone.now()
    if instance.last_used and now - instance.last_used < LAST_USED_RESOLUTION:
        return
    type(instance).objects.filter(pk=instance.pk).update(last_used=now)
    instance.last_used = now
    remember_mark(mark, clock)


def marked_lately(mark, clock):
    """Did this process write `mark` less than `LAST_USED_RESOLUTION` before `clock` (monotonic)?"""
    marked = _marked_at.get(mark)
    return marked is not None and clock - marked < LAST_USED_RESOLUTION.total_seconds()


def remember_mark(mark, clock):
    if len(_marked_at) >= MARKS_REMEMBERED:
        _marked_at.clear()
    _marked_at[mark] = clock
