"""The RFC 5849 examples reproduce through our verification path: the bridge turns the Django
request into oauthlib's, our validator finds the client and token secrets in the database, and the
signature checks out (and a changed one does not).

Their timestamps (1974) and six-character nonce are outside what a live request may carry, so these
tests stop before the nonce store; everything else is the code a live request goes through.

§1.2's HMAC-SHA1 signature is `MdpQcU8iPSUjWoN/UDMsK2sui9I=`, as RFC 5849 prints it; the often-quoted
`tR3+Ty81lMeYAr/Fid0kMTYa/WM=` belongs to the older OAuth Core 1.0 example (other timestamp, nonce and
an `oauth_version`) and does not verify for this request.
"""
import base64
import hashlib
import hmac

import pytest
from django.test import RequestFactory
from oauthlib.oauth1 import AccessTokenEndpoint, RequestTokenEndpoint, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import signature

from consumers.oauth1 import bridge
from consumers.oauth1.models import AccessToken, RequestToken
from tests.factories import make_consumer, make_user

# --- §1.2: Jane, photos.example.net and printer.example.com -------------------------------------------

PHOTOS_CONSUMER = ("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
PHOTOS_TEMPORARY = ("hh5s93j4hdidpola", "hdhd0244k9j7ao03", "hfdp7dh39dks9884")
PHOTOS_TOKEN = ("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")
PHOTOS_SIGNATURE = "MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"
PHOTOS_BASE_STRING = (
    "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03"
    "%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202"
    "%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
)

# --- §3.4.1: the signature base string example (secrets as in oauthlib's own test vectors) -------------

EXAMPLE_CONSUMER = ("9djdj82h48djs9d2", "j49sk3j29djd")
EXAMPLE_TOKEN = ("kkk9d7dh3k39sjv7", "dh893hdasih9")
EXAMPLE_BASE_STRING = (
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c"
    "%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_"
    "method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
)
EXAMPLE_SIGNATURE = "r6/TJjbCOr97/+UU0NsvSne7s5g="


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["photos.example.net", "example.com"]


def registered(client, token=None, request_token=None):
    """The client (and its token) stored the way the endpoints store them."""
    consumer = make_consumer(make_user(), callback_url="http://printer.example.com/ready")
    consumer.client_id, consumer.client_secret = client
    consumer.save()
    if token:
        AccessToken.objects.create(consumer=consumer, user=make_user("jane"), key=token[0], secret=token[1],
                                   scopes=consumer.scopes)
    if request_token:
        key, secret, verifier = request_token
        RequestToken.objects.create(consumer=consumer, user=make_user("jane"), key=key, secret=secret,
                                    verifier=verifier, callback="http://printer.example.com/ready",
                                    scopes=consumer.scopes, expires_at="2999-01-01T00:00:00Z")
    return consumer


def authorization(realm, **params):
    return "OAuth " + ", ".join([f'realm="{realm}"'] + [f'{name}="{value}"' for name, value in params.items()])


def verified(endpoint_class, django_request, is_token_request=False):
    """oauthlib's request as our bridge reads it, checked with the secrets our validator loads."""
    oauth_request = bridge.read(django_request)
    validator = bridge.validator
    client_key, token = oauth_request.client_key, oauth_request.resource_owner_key
    assert validator.validate_client_key(client_key, oauth_request)
    token_secret = None
    if endpoint_class is ResourceEndpoint:
        assert validator.validate_access_token(client_key, token, oauth_request)
        token_secret = validator.get_access_token_secret(client_key, token, oauth_request)
    elif endpoint_class is AccessTokenEndpoint:
        assert validator.validate_request_token(client_key, token, oauth_request)
        assert validator.validate_verifier(client_key, token, oauth_request.verifier, oauth_request)
        token_secret = validator.get_request_token_secret(client_key, token, oauth_request)
    assert is_token_request == (endpoint_class is AccessTokenEndpoint)
    client_secret = validator.get_client_secret(client_key, oauth_request)
    return oauth_request, bridge.signatures_match(oauth_request, (client_secret,), token_secret)[0]


def base_string(oauth_request):
    return signature.signature_base_string(
        oauth_request.http_method, signature.base_string_uri(oauth_request.uri),
        signature.normalize_parameters(oauth_request.params))


def photos_request(signature_value=PHOTOS_SIGNATURE):
    return RequestFactory().get(
        "/photos?file=vacation.jpg&size=original", HTTP_HOST="photos.example.net",
        HTTP_AUTHORIZATION=authorization(
            "Photos", oauth_consumer_key=PHOTOS_CONSUMER[0], oauth_token=PHOTOS_TOKEN[0],
            oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH",
            oauth_signature=signature_value))


def test_section_1_2_temporary_credentials_request_plaintext_over_https(db):
    registered(PHOTOS_CONSUMER)
    django_request = RequestFactory().post(
        "/initiate", HTTP_HOST="photos.example.net", secure=True,
        HTTP_AUTHORIZATION=authorization(
            "Photos", oauth_consumer_key=PHOTOS_CONSUMER[0], oauth_signature_method="PLAINTEXT",
            oauth_timestamp="137131200", oauth_nonce="wIjqoS",
            oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready",
            oauth_signature="kd94hf93k423kf44%26"))
    oauth_request, valid = verified(RequestTokenEndpoint, django_request)
    assert valid
    assert oauth_request.uri == "https://photos.example.net/initiate"
    assert oauth_request.redirect_uri == "http://printer.example.com/ready"


def test_section_1_2_token_credentials_request_plaintext(db):
    registered(PHOTOS_CONSUMER, request_token=PHOTOS_TEMPORARY)
    django_request = RequestFactory().post(
        "/token", HTTP_HOST="photos.example.net", secure=True,
        HTTP_AUTHORIZATION=authorization(
            "Photos", oauth_consumer_key=PHOTOS_CONSUMER[0], oauth_token=PHOTOS_TEMPORARY[0],
            oauth_signature_method="PLAINTEXT", oauth_verifier=PHOTOS_TEMPORARY[2],
            oauth_timestamp="137131201", oauth_nonce="walatlh",
            oauth_signature="kd94hf93k423kf44%26hdhd0244k9j7ao03"))
    _, valid = verified(AccessTokenEndpoint, django_request, is_token_request=True)
    assert valid


def test_section_1_2_protected_resource_request_hmac_sha1(db):
    registered(PHOTOS_CONSUMER, token=PHOTOS_TOKEN)
    oauth_request, valid = verified(ResourceEndpoint, photos_request())
    assert base_string(oauth_request) == PHOTOS_BASE_STRING
    assert valid


def test_section_1_2_with_another_signature_does_not_verify(db):
    registered(PHOTOS_CONSUMER, token=PHOTOS_TOKEN)
    _, valid = verified(ResourceEndpoint, photos_request("tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"))
    assert not valid


def example_request(signature_value):
    return RequestFactory().post(
        "/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", data="c2&a3=2+q",
        content_type="application/x-www-form-urlencoded", HTTP_HOST="example.com",
        HTTP_AUTHORIZATION=authorization(
            "Example", oauth_consumer_key=EXAMPLE_CONSUMER[0], oauth_token=EXAMPLE_TOKEN[0],
            oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a",
            oauth_signature=signature_value))


def test_section_3_4_1_base_string_and_signature(db):
    registered(EXAMPLE_CONSUMER, token=EXAMPLE_TOKEN)
    oauth_request, valid = verified(ResourceEndpoint, example_request("r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"))
    assert base_string(oauth_request) == EXAMPLE_BASE_STRING
    assert valid
    # And by hand (RFC 5849 §3.4.2), so the expected value does not rest on oauthlib alone.
    key = f"{EXAMPLE_CONSUMER[1]}&{EXAMPLE_TOKEN[1]}".encode()
    digest = hmac.new(key, EXAMPLE_BASE_STRING.encode(), hashlib.sha1).digest()
    assert base64.b64encode(digest).decode() == EXAMPLE_SIGNATURE


def test_section_3_4_1_with_a_changed_body_does_not_verify(db):
    registered(EXAMPLE_CONSUMER, token=EXAMPLE_TOKEN)
    django_request = example_request("r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D")
    django_request._body = b"c2&a3=2+r"
    _, valid = verified(ResourceEndpoint, django_request)
    assert not valid
