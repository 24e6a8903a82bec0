"""The OpenAPI schema tells the truth: schemathesis generates requests from the live schema for every
operation and sends them, with an officer's token, to the app on the seeded world of tests/world.py.
No answer may be a server error, and every answer must match what the schema declares for it (its status
code, its body). Bounded: API_FUZZ_EXAMPLES examples an operation (default 8), each in a savepoint rolled
back, so the world is the same for every request."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.schema_fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def officer_token(world, settings):
    from django.core import signals
    from django.db import close_old_connections
    from rest_framework.authtoken.models import Token

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    token, _ = Token.objects.get_or_create(user=world.users["officer"])
    # The app is called in-process inside the test's transaction: as Django's test client does, keep the
    # request signals from closing the connection that holds it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield token.key
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(world, officer_token):
    headers = {"Authorization": f"Token {officer_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=headers)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            with transaction.atomic():
                response = case.call(headers=headers)
                transaction.set_rollback(True)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                failures.extend(f"{case.operation.label} -> {type(e).__name__}: {e}"[:1200] for e in group.exceptions)

        run()
    assert operations > 50
    assert not failures, "\n\n".join(failures)
