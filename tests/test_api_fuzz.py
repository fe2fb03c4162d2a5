"""The API fuzzed from its own OpenAPI description: whatever the path and query parameters,
valid or not, no request ends in a server error, and every answer matches the description."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from declaration_site.wsgi import application

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def same_connection():
    """Keep the test's database connection, and its transaction, across requests.

    The requests go to the WSGI application itself, which closes a connection in a transaction
    at the end of each one; Django's test client disconnects that handler in the same way.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_ends_in_a_server_error(case, demo, same_connection):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
