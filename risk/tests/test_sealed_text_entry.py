"""A risk plan action holding the victim's sealed detail is refused before saving, naming the kind only
(casework.redaction.sealed_text_check): the plan goes into the charging pack's MG6."""

import pytest
from django.utils import timezone

from casework.choices import IdentifierKind
from casework.models import PersonIdentifier
from casework.services.people import party_add, person_create
from config.errors import InvalidInput
from risk import services
from risk.models import RiskPlanAction


def test_a_plan_action_naming_her_sealed_email_is_refused(officer, case, risk_forms):
    victim = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    PersonIdentifier.objects.create(
        person=victim, kind=IdentifierKind.EMAIL, value="jane@example.org", normalised="jane@example.org",
        sealed=True, case=case,
    )  # fmt: skip
    assessment = services.risk_assessment_start(actor=officer, case=case, victim=victim, kinds=["dash"])
    with pytest.raises(InvalidInput) as refused:
        services.risk_plan_action_add(
            actor=officer, assessment=assessment, risk="Online contact", owner="PC Shah",
            action="Change the password of JANE@EXAMPLE.ORG", due_on=timezone.localdate(),
        )  # fmt: skip
    assert refused.value.errors == {
        "action": ["This text contains the victim's sealed e-mail address. Describe it instead (for example "
                   '"her e-mail").']
    }  # fmt: skip
    assert not RiskPlanAction.objects.exists()
