"""An app's traffic: its refused requests noted as they are answered, and its last 30 days read back by
outcome (served, refused by reason code, rate-limited) with its recent refusals, for its usage page.

What is counted where, and what each costs, is `access.store.usage`'s: a served request rides the
throttle's round trip; a refusal is one write, for a client that exists only.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from access.store.usage import COUNTED, refusal_note, usage_read
from consumers.selectors import consumer_key_exists

DAYS_SHOWN = 30
RATE_LIMITED = "rate_limited"  # the reason code of a 429 past a rate limit (`apiv2.exceptions`)
METHOD_KEPT, PATH_KEPT = 16, 300  # what the caller sent, of any length: kept short


def consumer_refusal_record(*, client_key, known=False, reason, counted, method, path, scheme, address):
    """Note a refused API request on the app whose key its credentials named: its reason code, and an
    entry with the time, method, path (the caller passes it without the query string, which may carry a
    key, a signature or a password), scheme and client address: never a credential. Only for a client
    that exists, so a made-up key leaves nothing in the store: `known` when the caller holds the client
    already (an authenticated request), else it is looked up (its snapshot, or one query). `counted`:
    the throttle had counted the request, so it is taken off the day's served ones."""
    if not known and not consumer_key_exists(client_key):
        return
    refusal_note(client_key, reason=reason, counted=counted, entry={
        "method": method[:METHOD_KEPT], "path": path[:PATH_KEPT], "scheme": scheme, "address": address})


@dataclass(frozen=True)
class UsageDay:
    date: object  # datetime.date, UTC
    served: int
    rate_limited: int
    refused: dict  # reason code -> count, rate limits not among them
    by_reason: tuple = ()  # the counts of the report's `reasons`, in their order

    @property
    def refused_total(self):
        return sum(self.refused.values())

    @property
    def total(self):
        return self.served + self.refused_total + self.rate_limited


@dataclass(frozen=True)
class RecentRefusal:
    at: datetime
    method: str
    path: str
    scheme: str
    reason: str
    address: str


@dataclass(frozen=True)
class UsageReport:
    days: list  # `UsageDay`, oldest first
    reasons: list  # (reason code, count) of those days' refusals, rate limits aside, most first
    recent: list  # `RecentRefusal`, newest first
    readable: bool  # False: the store could not be read now

    @property
    def served(self):
        return sum(day.served for day in self.days)

    @property
    def rate_limited(self):
        return sum(day.rate_limited for day in self.days)


def consumer_usage(consumer, *, now=None):
    """The app's last `DAYS_SHOWN` days (today's so far included) and its last refusals of the last
    7 days. Served = what the throttle counted less the refusals it had counted (a 429, a view's 404):
    a refusal noted while the store failed is missing, so that day's served may read a little high."""
    stored = usage_read(consumer.client_id, days=DAYS_SHOWN, now=now)
    refused_by_day = [{reason: count for reason, count in day.refused.items()
                       if reason not in (COUNTED, RATE_LIMITED) and count > 0} for day in stored.days]
    totals = Counter()
    for refused in refused_by_day:
        totals.update(refused)
    reasons = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    days = [UsageDay(date=datetime.strptime(day.day, "%Y%m%d").replace(tzinfo=UTC).date(),
                     served=max(0, day.counted - day.refused.get(COUNTED, 0)),
                     rate_limited=day.refused.get(RATE_LIMITED, 0), refused=refused,
                     by_reason=tuple(refused.get(reason, 0) for reason, _ in reasons))
            for day, refused in zip(stored.days, refused_by_day, strict=True)]
    recent = [RecentRefusal(at=datetime.fromtimestamp(entry["at"], UTC), method=entry.get("method", ""),
                            path=entry.get("path", ""), scheme=entry.get("scheme", ""),
                            reason=entry.get("reason", ""), address=entry.get("address", ""))
              for entry in stored.recent if entry.get("reason")]
    return UsageReport(days=days, reasons=reasons, recent=recent, readable=stored.readable)
