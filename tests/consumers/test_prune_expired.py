"""`manage.py prune_expired` keeps the nonce and request-token tables bounded."""
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from access.models import Nonce
from consumers.oauth1.models import RequestToken
from tests.factories import make_request_token


def test_prunes_only_what_has_expired(aladdin_key):
    now = timezone.now()
    Nonce.objects.create(digest="a" * 64, expires_at=now - timedelta(seconds=1))
    Nonce.objects.create(digest="b" * 64, expires_at=now + timedelta(minutes=5))
    expired = make_request_token(aladdin_key)
    RequestToken.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(seconds=1))
    live = make_request_token(aladdin_key)

    out = StringIO()
    call_command("prune_expired", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 expired nonce(s) and 1 expired request token(s)."
    assert list(Nonce.objects.values_list("digest", flat=True)) == ["b" * 64]
    assert list(RequestToken.objects.values_list("pk", flat=True)) == [live.pk]


def test_prunes_expired_rows_of_the_database_cache(db):
    """The database cache never culls (culling would drop counters), so expired rows go here."""
    from django.core.cache import caches

    cache = caches["database"]
    cache.set("counter-gone", 3, -1)  # already expired
    cache.set("counter-live", 5, 300)
    call_command("prune_expired", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM shared_cache")
        keys = [key for (key,) in cursor.fetchall()]
    assert any(key.endswith("counter-live") for key in keys)
    assert not any(key.endswith("counter-gone") for key in keys)
