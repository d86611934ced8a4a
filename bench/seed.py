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
                      "token_key": token.key, "token_secret": token.secret,
                      "bearer_token": seed_bearer_token(consumer, user)}))


def seed_bearer_token(consumer, user):
    """An OAuth 2.0 access token for the same client and user, valid for the whole run."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, set_token_value

    from consumers.oauth2.bearer_tokens import access_token_for

    value = access_token_for(consumer.client_id)  # as the token endpoint issues it
    access_token = get_access_token_model()(application=consumer, user=user, scope=" ".join(consumer.scope_list),
                                            expires=timezone.now() + timedelta(days=1))
    set_token_value(access_token, value)
    access_token.save()
    return value


def seed_large(consumer, user):
    from access.store.nonces import ReplayGuard, nonces_load
    from consumers.oauth1.models import AccessToken

    secret = "x" * 40  # the same for every filler token: only the rows' number matters here
    for start in range(0, LARGE_TOKENS, BATCH):
        AccessToken.objects.bulk_create(
            AccessToken(consumer=consumer, user=user, key=secrets.token_urlsafe(30), secret=secret,
                        scopes=consumer.scopes)
            for _ in range(start, min(start + BATCH, LARGE_TOKENS))
        )
    for _ in range(0, LARGE_NONCES, BATCH):
        nonces_load(ReplayGuard(kind="oauth1-nonce", group=f"c:{secrets.token_hex(16)}", digest=secrets.token_hex(32),
                                seconds=3600, timestamp=0) for _ in range(BATCH))
    settle()


def settle():
    """Let the database finish with the bulk load (fresh statistics, no autovacuum racing the load)."""
    from django.db import connection

    tables = ["consumers_accesstoken", "access_nonce"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
