"""The OpenAPI schema tells the truth: schemathesis generates requests from the live schema for every
operation and sends them, with an officer's token, to the app on the seeded world of tests/world.py:
valid and invalid input (positive and negative generation), each both with random ids in the path and
with the ids of the officer's own case's records (so the writes reach their rules). No answer may be a
server error, and every answer must match what the schema declares for it (its status, content type and
body). Bounded: API_FUZZ_EXAMPLES examples an operation and kind (default 5), each request in a savepoint
rolled back, so the world is the same for every one."""

import os
import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.schema_fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A path parameter, by the path it is in, and the record of the world's kit it names.
KIT_IDS = {
    "action_id": "cps_action", "alert_id": "alert", "assessment_id": "assessment", "breach_id": "breach",
    "case_id": "case", "concern_id": "concern", "condition_id": "condition", "document_id": "document",
    "handover_id": "handover", "incident_id": "incident", "notice_id": "legacy_notice", "order_id": "order",
    "person_id": "victim", "proposal_id": "proposal", "record_id": "record", "referral_id": "referral",
    "route_id": "route", "warrant_id": "warrant",
}  # fmt: skip


def _real_ids(path: str, kit) -> dict[str, int]:
    names = re.findall(r"{(\w+)}", path)
    if "item_id" in names:
        names.remove("item_id")
        item = kit.plan_item if "safety-plan" in path else kit.passed_on
        return {"item_id": item} | {name: getattr(kit, KIT_IDS[name]) for name in names}
    return {name: getattr(kit, KIT_IDS[name]) for name in names}


@pytest.fixture
def officer_token(world, settings):
    from django.core import signals
    from django.db import close_old_connections

    from accounts.tokens import api_token_issue

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    _, key = api_token_issue(
        actor=None, user=world.users["officer"], name="schemathesis", scope="write", after_mfa=True
    )
    # The app is called in-process inside the test's transaction: as Django's test client does, keep the
    # request signals from closing the connection that holds it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield key
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(world, officer_token):
    headers = {"Authorization": f"Token {officer_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=headers)
    failures: list[str] = []
    operations = 0
    kit = world.kits["own"]
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies = [operation.as_strategy(mode)]
            if "{" in operation.path:
                strategies.append(operation.as_strategy(mode, path_parameters=_real_ids(operation.path, kit)))
            for strategy in strategies:
                _fuzz(strategy, headers, failures)
    assert operations > 50
    assert not failures, "\n\n".join(failures)


def _fuzz(strategy, headers: dict, failures: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            answer = f"{response.status_code} {response.text[:300]!r} to {case.as_curl_command()[:600]}"
            failures.extend(f"{case.operation.label}: {type(e).__name__}: {e}\n{answer}" for e in group.exceptions)

    try:
        run()
    except Unsatisfiable:  # negative generation with nothing to make invalid (no body, query or free path)
        pass
