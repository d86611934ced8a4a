"""Seeds the bench database (run as a child process with the production environment).

Prints one JSON line: the credentials the scenarios sign with.
"""
import argparse
import json
import os

import django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["normal", "large"], default="normal")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from django.contrib.auth import get_user_model

    from apiv2.models import Product
    from bench.run import PASSWORD
    from bench.views import BENCH_USERNAME
    from consumers.services import consumer_register

    user = get_user_model().objects.create_user(BENCH_USERNAME, password=PASSWORD)
    Product.objects.bulk_create(
        Product(owner=user, name=f"Bench product {n}", sku=f"B-{n}", price="9.99") for n in range(20)
    )
    consumer = consumer_register(user=user, name="Bench client")
    print(json.dumps({"username": BENCH_USERNAME, "password": PASSWORD,
                      "client_key": consumer.client_key, "client_secret": consumer.client_secret}))


if __name__ == "__main__":
    main()
