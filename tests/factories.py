"""Test data builders: users, client keys, products, Basic headers. One place for all tests."""
import base64
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from apiv2.models import Product
from consumers.oauth1.services import access_token_issue, request_token_authorize, request_token_create
from consumers.oauth1.tokens import generate_token
from consumers.services import consumer_register

_sequence = itertools.count(1)

# The OAuth 1.0a cast (fixtures in tests/conftest.py): a developer's printer app, as in RFC 5849 §1.2,
# and alice, who lets it use her account.
CALLBACK = "https://printer.example.com/oauth/ready"
ALICE_PASSWORD = "alice's long passphrase"


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


def make_request_token(consumer, callback="oob", scopes=None, authorized_by=None):
    """A request token as `/oauth/request_token` issues it; authorized by a user when `authorized_by`."""
    request_token = request_token_create(
        consumer=consumer, key=generate_token(), secret=generate_token(), callback=callback,
        scopes=scopes or consumer.scope_list,
    )
    if authorized_by is not None:
        request_token.verifier = request_token_authorize(request_token=request_token, user=authorized_by)
        request_token.user = authorized_by
    return request_token


def make_access_token(consumer, user, scopes=None):
    """An access token for `user` through `consumer`, made the way the three-legged flow makes one."""
    request_token = make_request_token(consumer, scopes=scopes, authorized_by=user)
    return access_token_issue(request_token=request_token, key=generate_token(), secret=generate_token())


def make_bearer_token(consumer, user, scopes=None, expires_in=3600):
    """An OAuth 2.0 access token as django-oauth-toolkit issues it (`user` None: client credentials);
    its value, which the database may keep only as a digest, is on `.value`."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, set_token_value

    from consumers.oauth2.bearer_tokens import access_token_for

    value = access_token_for(consumer.client_id)
    access_token = get_access_token_model()(
        application=consumer, user=user, scope=" ".join(scopes or consumer.scope_list),
        expires=timezone.now() + timedelta(seconds=expires_in),
    )
    set_token_value(access_token, value)
    access_token.save()
    access_token.value = value
    return access_token


def make_refresh_token(access_token):
    """The refresh token django-oauth-toolkit issues beside `access_token` (authorization code)."""
    from oauth2_provider.models import get_refresh_token_model, set_token_value

    refresh_token = get_refresh_token_model()(application=access_token.application, user=access_token.user,
                                              access_token=access_token)
    set_token_value(refresh_token, generate_token())
    refresh_token.save()
    return refresh_token
