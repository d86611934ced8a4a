"""`manage.py restore USERNAME`: the admin's restore action."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from access.refusals import Refusal
from accounts.services import account_restore


class Command(BaseCommand):
    help = "Restore an account's API access."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--note", default="")

    def handle(self, *args, username, note, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            account = account_restore(user=user, note=note or "restore")
        except Refusal as refusal:  # the shared store could not be told: nothing was changed
            raise CommandError(f"Nothing changed. {refusal.additional}") from None
        self.stdout.write(f"{username}: API access is now {account.state}.")
