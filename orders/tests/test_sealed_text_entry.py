"""A condition's wording, rationale or the victim's view, and an order's grounds, are refused when they hold
the sealed detail of someone the order protects: the order is served on him (casework.redaction)."""

import pytest
from rest_framework.test import APIClient

from casework.choices import IdentifierKind, PartyRole
from casework.models import CaseParty, PersonIdentifier
from casework.tests.factories import PersonFactory
from config.errors import InvalidInput
from orders import choices as c
from orders.models import Condition
from orders.services import order_update_details
from orders.tests.factories import ProtectiveOrderFactory

MESSAGE = 'This text contains the victim\'s sealed phone number. Describe it instead (for example "her phone").'


@pytest.fixture
def order(case):
    victim, suspect = PersonFactory(first_name="Jane"), PersonFactory(first_name="John")
    CaseParty.objects.create(case=case, person=victim, role=PartyRole.VICTIM)
    CaseParty.objects.create(case=case, person=suspect, role=PartyRole.SUSPECT)
    PersonIdentifier.objects.create(
        person=victim, kind=IdentifierKind.PHONE, value="07700 900123", normalised="+447700900123", sealed=True,
        case=case,
    )  # fmt: skip
    return ProtectiveOrderFactory(
        case=case, order_type=c.OrderType.SPO, status=c.OrderStatus.DRAFTED, respondent=suspect,
        protected_people=[victim],
    )  # fmt: skip


def test_the_api_refuses_a_condition_naming_her_sealed_phone(officer, order):
    api = APIClient()
    api.force_login(officer)
    victim = order.protected_people.get()
    response = api.post(
        f"/api/v1/orders/{order.pk}/conditions/",
        {
            "kind": "free",
            "wording": "Not to call +44 7700 900123",
            "rationale": "He calls",
            "protected_ids": [victim.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["wording"] == [MESSAGE]
    assert not Condition.objects.exists()


def test_the_grounds_are_refused_and_left_as_they_were(officer, order):
    with pytest.raises(InvalidInput) as refused:
        order_update_details(
            actor=officer, order=order, expected_version=order.version, court="Leeds MC", applicant="",
            grounds_acts="He rang 07700-900-123 forty times", grounds_risk="", grounds_necessity="", hearing_at=None,
        )  # fmt: skip
    assert refused.value.errors == {"grounds_acts": [MESSAGE]}
    order.refresh_from_db()
    assert "forty" not in order.grounds_acts
