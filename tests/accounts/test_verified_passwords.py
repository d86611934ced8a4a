"""Basic at full speed: one full password check, then a remembered digest, never weaker."""
import base64

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from access.store.redis_client import make_client
from apiv2.schemes.basic import ClientKeyBasicAuthentication
from consumers.services import consumer_revoke
from tests.factories import basic_header, make_consumer, make_user

PASSWORD = "open sesame"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, tests only) that counts full checks."""

    algorithm = "counting_md5"
    checks = 0
    encodes = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)

    def encode(self, password, salt):
        CountingHasher.encodes += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_verified_passwords.CountingHasher"]
    CountingHasher.checks = 0
    return CountingHasher


@pytest.fixture
def key(db, counting_hasher):
    return make_consumer(make_user("Aladdin", password=PASSWORD))


def call(client, key, password=PASSWORD):
    return client.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", password),
                      HTTP_X_CLIENT_KEY=key.client_key)


def test_only_the_first_request_pays_the_full_password_check(client, key, counting_hasher):
    for _ in range(5):
        assert call(client, key).status_code == 200
    assert counting_hasher.checks == 1


def test_a_new_secret_key_ends_every_remembered_password(client, key, counting_hasher, settings):
    """The remembered digests are keyed by SECRET_KEY: after it changes, the next request does not find
    the digest remembered under the old one, and pays the full check."""
    for _ in range(2):
        assert call(client, key).status_code == 200
    assert counting_hasher.checks == 1
    settings.SECRET_KEY = "another secret key, as after a rotation"
    assert call(client, key).status_code == 200
    assert counting_hasher.checks == 2


def test_a_wrong_password_always_pays_the_full_check(client, key, counting_hasher):
    assert call(client, key).status_code == 200
    for _ in range(3):
        assert call(client, key, password="open sesame!").status_code == 401
    assert counting_hasher.checks == 4


def test_a_changed_password_ends_the_remembered_one_at_once(client, key):
    assert call(client, key).status_code == 200
    key.user.set_password("a new password")
    key.user.save()
    assert call(client, key).status_code == 401
    assert call(client, key, password="a new password").status_code == 200


def test_a_deactivated_user_is_refused_despite_a_remembered_password(client, key):
    assert call(client, key).status_code == 200
    key.user.is_active = False
    key.user.save()
    assert call(client, key).status_code == 401


def test_a_revoked_key_is_refused_despite_a_remembered_password(client, key):
    assert call(client, key).status_code == 200
    consumer_revoke(consumer=key)
    assert call(client, key).json()["message"] == "Invalid client key"


def test_neither_the_password_nor_its_hash_is_stored_in_the_shared_cache(client, key):
    for _ in range(3):
        assert call(client, key).status_code == 200
    stored = raw_cache_contents()
    assert stored, "the verified credentials should have been remembered"
    password_hash = key.user.password.encode()
    assert all(PASSWORD.encode() not in blob and password_hash not in blob for blob in stored)


def raw_cache_contents():
    """Every key and value as the backend stores them (Redis or the database table)."""
    if settings.REDIS_URL:
        client = make_client()
        return [name + (client.get(name) or b"") for name in client.keys("*")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM shared_cache")
        return [name.encode() + base64.b64decode(value) for name, value in cursor.fetchall()]


def test_warm_basic_authentication_costs_at_most_two_database_queries(key):
    authenticate = ClientKeyBasicAuthentication().authenticate
    factory = APIRequestFactory()

    def request():
        return Request(factory.get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", PASSWORD),
                                   HTTP_X_CLIENT_KEY=key.client_key))

    authenticate(request())  # cold: the full password check, and the last-used mark
    authenticate(request())  # the key's snapshot is cached again after the last-used mark
    with CaptureQueriesContext(connection) as queries:
        user, credentials = authenticate(request())
    assert user == key.user and credentials.consumer == key
    # Redis holds the key's snapshot and the digest: no query. Without Redis: one query for key,
    # owner and state, one to read the digest from the database cache.
    budget = 0 if settings.REDIS_URL else 2
    assert len(queries) <= budget, [q["sql"] for q in queries]


def test_a_key_registered_after_it_was_asked_for_works_at_once(client, db, counting_hasher):
    """Unknown keys are remembered (so they take the known keys' path); registering one forgets that."""
    from consumers.models import Consumer

    user = make_user("Aladdin", password=PASSWORD)
    assert call(client, Consumer(client_id="later-key")).status_code == 403
    later = make_consumer(user)
    Consumer.objects.filter(pk=later.pk).update(client_id="later-key")
    later.refresh_from_db()
    later.save()  # any save of the client forgets what was remembered about its key
    assert call(client, later).status_code == 200


def test_an_unknown_user_costs_the_same_hashing_as_a_wrong_password(client, key, counting_hasher):
    """No account enumeration by timing: both run the password hasher once."""
    def hashing_for(username):
        counting_hasher.checks = counting_hasher.encodes = 0
        response = client.get("/v2", HTTP_AUTHORIZATION=basic_header(username, "wrong password"),
                              HTTP_X_CLIENT_KEY=key.client_key)
        assert response.status_code == 401
        return counting_hasher.encodes  # a check is one encode of the given password, too

    assert hashing_for("Aladdin") == hashing_for("nobody-at-all") == 1


def test_the_remembered_digest_is_djangos_salted_hmac_under_the_current_secret_key(settings):
    """Keyed once per SECRET_KEY and copied per use, the digest is still Django's `salted_hmac`, and a new
    SECRET_KEY gives a new one (what was remembered under the old key is never matched)."""
    from django.utils.crypto import salted_hmac

    from accounts.verified_passwords import KEY_SALT, fingerprint_of_hash

    digests = []
    for secret in ("first secret key " * 4, "second secret key " * 4, "first secret key " * 4):
        settings.SECRET_KEY = secret
        for text in ("alice\0open sesame", "pbkdf2_sha256$1$salt$hash"):
            assert fingerprint_of_hash(text) == salted_hmac(KEY_SALT, text, algorithm="sha256").hexdigest()
        digests.append(fingerprint_of_hash("alice\0open sesame"))
    assert digests[0] != digests[1] and digests[0] == digests[2]
