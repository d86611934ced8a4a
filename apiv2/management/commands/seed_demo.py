"""Creates the guide's demo developer (Aladdin / open sesame) with a client key and a few products.

Idempotent: running it again reuses what is there. Prints a curl line for the guide's example.
"""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from apiv2.models import Product
from consumers.selectors import consumers_of
from consumers.services import consumer_register

DEMO_USERNAME = "Aladdin"
DEMO_PASSWORD = "open sesame"
DEMO_CLIENT_NAME = "Demo client"
DEMO_PRODUCTS = [
    ("Magic lamp", "LAMP-1", Decimal("199.00")),
    ("Flying carpet", "CARPET-1", Decimal("1250.00")),
    ("Genie bottle", "BOTTLE-1", Decimal("42.50")),
]


class Command(BaseCommand):
    help = "Create the demo developer, client key and products (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url, **options):
        user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        consumer = consumers_of(user).active().filter(name=DEMO_CLIENT_NAME).first()
        if consumer is None:
            consumer = consumer_register(user=user, name=DEMO_CLIENT_NAME)
        for name, sku, price in DEMO_PRODUCTS:
            Product.objects.get_or_create(owner=user, sku=sku, defaults={"name": name, "price": price})

        self.stdout.write(f"Demo developer: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        self.stdout.write(f"Client key:     {consumer.client_key}")
        self.stdout.write("Try the guide's example request:")
        self.stdout.write(
            f"  curl -u '{DEMO_USERNAME}:{DEMO_PASSWORD}' -H 'X-Client-Key: {consumer.client_key}' {base_url}/v2"
        )
        self.stdout.write(
            f"  curl -u '{DEMO_USERNAME}:{DEMO_PASSWORD}' '{base_url}/v2/products?client_key={consumer.client_key}'"
        )
