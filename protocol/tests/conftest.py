import pytest

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from protocol.tests.factories import make_ready


@pytest.fixture
def ready_case(case, risk_forms):
    make_ready(case)
    return case


@pytest.fixture
def other_lawyer(db):
    return UserFactory(username="lawyer2", role=Role.CPS_LAWYER)
