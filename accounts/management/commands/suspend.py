"""`manage.py suspend USERNAME --billing|--terms [--note TEXT]`: the admin's lock/disable actions."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from access.refusals import Refusal
from accounts.services import NothingOwed, account_lock_for_unpaid_balance, account_suspend


class Command(BaseCommand):
    help = "Lock an account for an unpaid balance (--billing) or disable it for a terms violation (--terms)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        reason = parser.add_mutually_exclusive_group(required=True)
        reason.add_argument("--billing", dest="reason", action="store_const", const="billing")
        reason.add_argument("--terms", dest="reason", action="store_const", const="terms")
        parser.add_argument("--note", default="")

    def handle(self, *args, username, reason, note, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            if reason == "billing":
                account = account_lock_for_unpaid_balance(user=user, note=note)
            else:
                account = account_suspend(user=user, reason=reason, note=note or f"suspend --{reason}")
        except NothingOwed as error:
            raise CommandError(str(error)) from None
        except Refusal as refusal:  # the shared store could not be told: nothing was changed
            raise CommandError(f"Nothing changed. {refusal.additional}") from None
        self.stdout.write(f"{username}: API access is now {account.state}.")
