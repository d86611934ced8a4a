"""Test data builders: users, client keys, products, Basic headers. One place for all tests."""
import base64
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from apiv2.models import Product
from consumers.services import consumer_register

_sequence = itertools.count(1)


def make_user(username=None, password="correct horse battery", **fields):
    username = username or f"user{next(_sequence)}"
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def make_consumer(user, scopes=None, name=None, callback_url=""):
    return consumer_register(
        user=user, name=name or f"client {next(_sequence)}", scopes=scopes, callback_url=callback_url
    )


def make_product(owner, name=None, price="9.99", sku=""):
    return Product.objects.create(owner=owner, name=name or f"product {next(_sequence)}",
                                  price=Decimal(price), sku=sku)


def basic_header(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"
