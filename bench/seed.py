"""Seeds the bench database (run as a child process with the production environment).

Prints one JSON line: the credentials the scenarios sign with. `--add-large KEY` then adds 100,000
access tokens and 1,000,000 nonces to the stores the product reads, to show that lookups stay flat.
"""
import argparse
import json
import os
import secrets

import django

LARGE_TOKENS = 100_000
LARGE_NONCES = 1_000_000
BATCH = 10_000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--add-large", metavar="CLIENT_KEY",
                        help="add 100,000 access tokens and 1,000,000 nonces for this seeded client")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.add_large:
        from consumers.models import Consumer

        consumer = Consumer.objects.select_related("user").get(client_id=args.add_large)
        seed_large(consumer, consumer.user)
        print(json.dumps({"added": "large"}))
        return

    from django.contrib.auth import get_user_model

    from apiv2.models import Product
    from bench.run import PASSWORD
    from bench.views import BENCH_USERNAME
    from consumers.oauth1.models import AccessToken
    from consumers.oauth1.tokens import generate_token
    from consumers.services import consumer_register

    user = get_user_model().objects.create_user(BENCH_USERNAME, password=PASSWORD)
    Product.objects.bulk_create(
        Product(owner=user, name=f"Bench product {n}", sku=f"B-{n}", price="9.99") for n in range(20)
    )
    consumer = consumer_register(user=user, name="Bench client")
    token = AccessToken.objects.create(consumer=consumer, user=user, key=generate_token(),
                                       secret=generate_token(), scopes=consumer.scopes)
    print(json.dumps({"username": BENCH_USERNAME, "password": PASSWORD,
                      "client_key": consumer.client_key, "client_secret": consumer.client_secret,
                      "token_key": token.key, "token_secret": token.secret}))


def seed_large(consumer, user):
    from django.conf import settings
    from django.utils import timezone

    from consumers.oauth1.models import AccessToken, Nonce

    secret = "x" * 40  # the same for every filler token: only the rows' number matters here
    for start in range(0, LARGE_TOKENS, BATCH):
        AccessToken.objects.bulk_create(
            AccessToken(consumer=consumer, user=user, key=secrets.token_urlsafe(30), secret=secret,
                        scopes=consumer.scopes)
            for _ in range(start, min(start + BATCH, LARGE_TOKENS))
        )
    if settings.REDIS_URL:
        from django.core.cache import cache

        client = cache._cache.get_client(write=True)
        for _batch in range(0, LARGE_NONCES, BATCH):
            pipeline = client.pipeline(transaction=False)
            for _ in range(BATCH):
                pipeline.set(cache.make_and_validate_key(f"oauth1-nonce:{secrets.token_hex(32)}"), 1, ex=3600)
            pipeline.execute()
    else:
        expires = timezone.now() + timezone.timedelta(hours=1)
        for _batch in range(0, LARGE_NONCES, BATCH):
            Nonce.objects.bulk_create(Nonce(digest=secrets.token_hex(32), expires_at=expires) for _ in range(BATCH))
    settle()


def settle():
    """Let the database finish with the bulk load (fresh statistics, no autovacuum racing the load)."""
    from django.db import connection

    tables = ["consumers_accesstoken", "consumers_nonce"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
