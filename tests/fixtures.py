"""The named cast every test can use (a pytest plugin, loaded from pyproject's addopts).

The case belongs to the officer's unit; `stranger` is an officer of another unit of the same force.
"""

import pytest

# Loaded before Django is set up: model imports happen inside the fixtures.


@pytest.fixture
def unit(db):
    from accounts.tests.factories import UnitFactory

    return UnitFactory(code="stalking-unit", name="Stalking and Harassment Unit")


@pytest.fixture
def officer(unit):
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory

    return UserFactory(username="officer", role=Role.OFFICER, unit=unit, first_name="Priya", last_name="Shah")


@pytest.fixture
def supervisor(unit):
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory

    return UserFactory(username="supervisor", role=Role.SUPERVISOR, unit=unit)


@pytest.fixture
def registrar(unit):
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory

    return UserFactory(username="registrar", role=Role.REGISTRAR, unit=unit)


@pytest.fixture
def stranger(db):
    from accounts.choices import Role
    from accounts.tests.factories import UnitFactory, UserFactory

    return UserFactory(username="stranger", role=Role.OFFICER, unit=UnitFactory(code="other-unit"))


@pytest.fixture
def lawyer(db):
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory

    return UserFactory(username="lawyer", role=Role.CPS_LAWYER)


@pytest.fixture
def advocate(db):
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory

    return UserFactory(username="advocate", role=Role.ADVOCATE)


@pytest.fixture
def case(officer):
    from casework.tests.factories import CaseFactory

    return CaseFactory(unit=officer.unit, officer=officer)


@pytest.fixture
def cast(officer, supervisor, registrar, stranger, lawyer, advocate):
    return {
        "officer": officer,
        "supervisor": supervisor,
        "registrar": registrar,
        "stranger": stranger,
        "lawyer": lawyer,
        "advocate": advocate,
    }


@pytest.fixture
def risk_forms(db):
    """The shipped questionnaire versions. The data migration loads them, but a transactional test
    flushes every table when it ends, so tests after one load them again."""
    import json

    from risk.models import RiskForm
    from risk.questionnaires import FORMS_DIR

    for path in sorted(FORMS_DIR.glob("*.json")):
        raw = json.loads(path.read_text())
        RiskForm.objects.get_or_create(
            key=raw["key"],
            version=raw["version"],
            defaults={"kind": raw["kind"], "title": raw["title"], "definition": raw},
        )
