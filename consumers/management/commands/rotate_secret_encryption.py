"""`manage.py rotate_secret_encryption`: re-encrypt every stored client and token secret under the
first of SECRET_ENCRYPTION_KEYS.

To rotate: put the new key first (keep the old one after it), restart, run this command, then drop
the old key and restart again.
"""
from django.core.management.base import BaseCommand

from consumers.secret_box import reseal_stored_secrets


class Command(BaseCommand):
    help = "Re-encrypt every stored secret under the first of SECRET_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        count = reseal_stored_secrets(batch_size=batch_size)
        self.stdout.write(f"Re-encrypted {count} stored secret(s) under the first key.")
