"""Schemathesis against our own OpenAPI document: generated requests to every /v2 operation get no
500, and every response matches the schema (status codes, content types, bodies, headers)."""
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings as hypothesis_settings

from apiproject.wsgi import application
from tests.factories import basic_header

# The document /v2/schema serves, generated the same way; requests then go to the WSGI application.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(SchemaGenerator().get_schema(public=True),
                                                              default=str)))
schema.app = application


@pytest.fixture
def credentials(aladdin, aladdin_key, password):
    """Like Django's test client, keep the test's database connection open across the WSGI calls
    (its transaction is rolled back at the end)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": basic_header("Aladdin", password), "X-Client-Key": aladdin_key.client_key}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.filter_too_much])
def test_every_operation_conforms_to_the_schema(case, credentials):
    response = case.call(headers=credentials)
    # What the API promises: no 500, and every answer as documented. Left out: `ignored_auth` (it
    # expects our valid credentials to be refused) and the request-strictness checks, which flag
    # what the WSGI transport itself changes (it drops None form values, so a "price: null" case
    # arrives as an omitted price and rightly gets the default).
    case.validate_response(response, checks=[
        schemathesis.checks.not_a_server_error,
        schemathesis.checks.status_code_conformance,
        schemathesis.checks.content_type_conformance,
        schemathesis.checks.response_schema_conformance,
        schemathesis.checks.response_headers_conformance,
    ])
