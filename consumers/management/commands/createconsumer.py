"""`manage.py createconsumer USERNAME --name NAME [--scope "a b"] [--callback URL] [--json]`."""
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from consumers.models import ReviewStatus
from consumers.services import consumer_register
from consumers.validators import validate_callback_url


class Command(BaseCommand):
    help = "Register an API client for an existing user and print its key and secret."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", default=None, help='Space-separated, e.g. "products:read". Default: all.')
        parser.add_argument("--callback", default="", help="OAuth callback URL prefix. Default: oob only.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, username, name, scope, callback, as_json, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if callback:
            try:
                validate_callback_url(callback)
            except ValidationError as error:
                reason = " ".join(error.messages)
                raise CommandError(f"--callback is not an http(s) URL: {callback!r}. {reason}") from None
        try:
            # Staff registering a client are its review: it never waits for one (CLIENT_REVIEW).
            consumer = consumer_register(user=user, name=name, scopes=scope, callback_url=callback,
                                         review_status=ReviewStatus.APPROVED)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps({
                "client_key": consumer.client_key,
                "client_secret": consumer.client_secret,
                "scopes": consumer.scope_list,
            }))
        else:
            self.stdout.write(f"client_key:    {consumer.client_key}")
            self.stdout.write(f"client_secret: {consumer.client_secret}")
            self.stdout.write(f"scopes:        {consumer.scopes}")
