"""`make run` seeds the guide's demo developer; running it twice changes nothing."""
from io import StringIO

from django.core.management import call_command
from django.test import Client

from apiv2.models import Product
from consumers.models import Consumer
from tests.factories import basic_header


def test_seed_demo_is_idempotent_and_prints_a_working_curl(db):
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    consumer = Consumer.objects.get()
    assert Product.objects.filter(owner=consumer.user).count() == 3
    assert first.getvalue() == second.getvalue()
    assert f"-H 'X-Client-Key: {consumer.client_key}'" in first.getvalue()
    response = Client().get("/v2", HTTP_AUTHORIZATION=basic_header("Aladdin", "open sesame"),
                            HTTP_X_CLIENT_KEY=consumer.client_key)
    assert response.status_code == 200
