"""`manage.py prune_expired`: delete expired nonces, request tokens and database-cache rows (counters,
remembered values) so no table grows without bound.

Both are also pruned now and then as requests arrive; schedule this as well (cron, a systemd timer)
on deployments that keep nonces in the database, e.g. every 10 minutes:
    */10 * * * * cd /srv/api && .venv/bin/python manage.py prune_expired
"""
from django.core.management.base import BaseCommand

from access.store.counters import database_cache_prune
from access.store.nonces import nonces_prune
from consumers.oauth1.services import request_tokens_prune


class Command(BaseCommand):
    help = "Delete expired OAuth nonces and request tokens."

    def handle(self, *args, **options):
        nonces = nonces_prune()
        request_tokens = request_tokens_prune()
        database_cache_prune()  # the database cache never culls (settings): its expired rows go here
        self.stdout.write(f"Deleted {nonces} expired nonce(s) and {request_tokens} expired request token(s).")
