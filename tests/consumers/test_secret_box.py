"""Secrets at rest: the columns hold Fernet tokens only, keys rotate, a wrong key fails closed with a
clear 503 (never a verdict on the signature), and cached snapshots hold no plaintext secret."""

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT

from consumers.lookup_cache import ACCESS_TOKEN, CONSUMER, forget, snapshot_key
from consumers.models import Consumer
from consumers.oauth1.models import AccessToken, RequestToken
from consumers.secret_box import PREFIX, SecretDecryptionError, store_as_is, unseal
from tests.factories import make_access_token, make_consumer, make_request_token, make_user
from tests.oauth1.signing import signed_send
from tests.redis_commands import store_client, store_key

COLUMNS = {
    Consumer: "client_secret",
    RequestToken: "secret",
    AccessToken: "secret",
}
UNAVAILABLE = {
    "status": 503,
    "message": "Service Unavailable",
    "additional": "Stored credentials cannot be read with this deployment's encryption keys.",
    "reference": "",
}


def raw_column(instance):
    """The secret as the database holds it, read past the ORM."""
    model = type(instance)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {COLUMNS[model]} FROM {model._meta.db_table} WHERE id = %s", [instance.pk]
        )
        return cursor.fetchone()[0]


def secrets_of(consumer, request_token, access_token):
    return [(consumer, consumer.client_secret), (request_token, request_token.secret),
            (access_token, access_token.secret)]


@pytest.fixture
def stored(aladdin, aladdin_key):
    """A client, a live request token and an access token, as their flows store them."""
    alice = make_user("alice")
    return aladdin_key, make_request_token(aladdin_key), make_access_token(aladdin_key, alice)


def test_the_raw_columns_hold_only_fernet_tokens(stored):
    for instance, secret in secrets_of(*stored):
        raw = raw_column(instance)
        assert raw.startswith(PREFIX) and secret not in raw
        assert len(raw) <= 255


def test_secrets_read_back_in_plaintext(stored):
    consumer, request_token, access_token = stored
    assert Consumer.objects.get(pk=consumer.pk).client_secret == consumer.client_secret
    assert RequestToken.objects.get(pk=request_token.pk).secret == request_token.secret
    assert AccessToken.objects.get(pk=access_token.pk).secret == access_token.secret


def test_a_rotated_client_secret_is_stored_sealed(api, aladdin_key):
    from consumers.services import consumer_secret_rotate

    new_secret = consumer_secret_rotate(consumer=aladdin_key)
    raw = raw_column(aladdin_key)
    assert raw.startswith(PREFIX) and new_secret not in raw
    assert unseal(raw) == new_secret


def test_rotation_reseals_every_secret_under_the_new_key(settings, db):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SECRET_ENCRYPTION_KEYS = [old_key]
    consumer = make_consumer(make_user())
    stored = (consumer, make_request_token(consumer), make_access_token(consumer, make_user()))
    before = {type(instance): raw_column(instance) for instance, _ in secrets_of(*stored)}

    settings.SECRET_ENCRYPTION_KEYS = [new_key, old_key]  # new key first, old one still there
    assert Consumer.objects.get(pk=consumer.pk).client_secret == consumer.client_secret

    call_command("rotate_secret_encryption", "--batch-size", "1")

    settings.SECRET_ENCRYPTION_KEYS = [new_key]  # the old key dropped
    for instance, secret in secrets_of(*stored):
        raw = raw_column(instance)
        assert raw != before[type(instance)]
        assert Fernet(new_key).decrypt(raw[len(PREFIX):].encode()).decode() == secret
        assert getattr(type(instance).objects.get(pk=instance.pk), COLUMNS[type(instance)]) == secret


def test_a_value_no_key_opens_fails_closed(settings, stored):
    consumer = stored[0]
    settings.SECRET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretDecryptionError):
        Consumer.objects.get(pk=consumer.pk)
    with pytest.raises(SecretDecryptionError):
        unseal("not sealed at all")


def test_basic_answers_503_when_the_client_secret_cannot_be_read(api, settings):
    assert api.get("/v2").status_code == 200
    # A snapshot remembered under the old key cannot be opened either: it counts as a miss.
    settings.SECRET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    response = api.get("/v2")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE


@pytest.mark.parametrize("broken", ["consumer", "access token"])
def test_signed_requests_answer_503_not_a_bad_signature(client, settings, stored, broken):
    consumer, _, access_token = stored
    assert _signed_get(client, consumer, access_token).status_code == 200
    # One row that no key opens; the other stays readable.
    row = consumer if broken == "consumer" else access_token
    store_as_is(type(row).objects.filter(pk=row.pk), COLUMNS[type(row)], PREFIX + "garbage")
    _forget_snapshots(consumer, access_token)
    response = _signed_get(client, consumer, access_token)
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE


def test_the_token_endpoints_answer_503_too(client, settings, stored):
    consumer, request_token, _ = stored
    settings.SECRET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    response = signed_send(client, "POST", "/oauth/request_token", consumer, callback="oob", secure=True,
                           signature_method=SIGNATURE_PLAINTEXT)
    assert response.status_code == 503 and response.json() == UNAVAILABLE


def test_a_snapshot_holds_no_plaintext_secret(stored):
    """A snapshot (plain data, as the shared store keeps it) carries every secret sealed, and gives it
    back in plaintext when loaded; the row it was made of keeps its plaintext."""
    from access.store.snapshots import decoded, encoded
    from consumers.oauth1.selectors import access_token_from_snapshot, access_token_get, access_token_snapshot
    from consumers.selectors import consumer_from_snapshot, consumer_load, consumer_snapshot

    consumer, _, access_token = stored
    for loaded, snapshot, from_snapshot, secret, column in [
        (consumer_load(consumer.client_key), consumer_snapshot, consumer_from_snapshot, consumer.client_secret,
         "client_secret"),
        (access_token_get(consumer_key=consumer.client_key, key=access_token.key), access_token_snapshot,
         access_token_from_snapshot, access_token.secret, "secret"),
    ]:
        stored_bytes = encoded(snapshot(loaded))
        assert secret.encode() not in stored_bytes
        assert getattr(from_snapshot(decoded(stored_bytes)), column) == secret
        assert getattr(loaded, column) == secret  # the row itself untouched


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="snapshots are kept in Redis only")
def test_the_snapshots_in_redis_hold_no_plaintext_secret(client, stored):
    consumer, _, access_token = stored
    for _ in range(2):  # the first use marks the rows used, which forgets the snapshots
        assert _signed_get(client, consumer, access_token).status_code == 200
    redis = store_client()
    for kind, key, secret in [(CONSUMER, consumer.client_key, consumer.client_secret),
                              (ACCESS_TOKEN, access_token.key, access_token.secret)]:
        raw = redis.get(store_key(snapshot_key(kind, key)))
        assert raw is not None and secret.encode() not in raw


def test_admin_pages_never_show_a_secret(client, stored):
    consumer, _, access_token = stored
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "staff password")
    client.force_login(staff)
    pages = [
        "/admin/consumers/consumer/", f"/admin/consumers/consumer/{consumer.pk}/change/",
        "/admin/consumers/accesstoken/", f"/admin/consumers/accesstoken/{access_token.pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        text = response.content.decode()
        assert consumer.client_secret not in text and access_token.secret not in text
        assert PREFIX not in text


def _signed_get(client, consumer, access_token):
    return signed_send(client, "GET", "/v2", consumer, token=access_token, secure=True,
                       signature_method=SIGNATURE_PLAINTEXT)


def _forget_snapshots(consumer, access_token):
    """What a save would do: the test changed the rows behind the ORM's back."""
    forget(CONSUMER, [consumer.client_key])
    forget(ACCESS_TOKEN, [access_token.key])


def test_a_snapshot_loads_back_the_rows_it_was_made_of(stored):
    """A snapshot (`lookup_cache.row_data`, JSON with a schema version) gives back what the query gave:
    every column, times as aware datetimes, the related rows a lookup loaded with it, not a new row."""
    from access.store.snapshots import decoded, encoded
    from consumers.oauth1.selectors import access_token_from_snapshot, access_token_get, access_token_snapshot
    from consumers.selectors import consumer_from_snapshot, consumer_get_by_key, consumer_load, consumer_snapshot

    consumer, _, access_token = stored
    Consumer.objects.filter(pk=consumer.pk).update(previous_client_secret="previous secret")
    for loaded, snapshot, from_snapshot in [
        (consumer_load(consumer.client_key), consumer_snapshot, consumer_from_snapshot),
        (access_token_get(consumer_key=consumer.client_key, key=access_token.key), access_token_snapshot,
         access_token_from_snapshot),
    ]:
        copy = from_snapshot(decoded(encoded(snapshot(loaded))))
        assert type(copy) is type(loaded) and copy.pk == loaded.pk and not copy._state.adding
        fields = [field.attname for field in type(loaded)._meta.concrete_fields]
        assert [getattr(copy, name) for name in fields] == [getattr(loaded, name) for name in fields]
        assert copy.created.tzinfo is not None and copy.created == loaded.created
        assert copy.user.pk == loaded.user.pk and copy.user.date_joined == loaded.user.date_joined
        assert copy.user.loaded_api_state == "active"
    assert consumer_get_by_key(consumer.client_key).previous_client_secret == "previous secret"
