from datetime import timedelta

import pytest
from django.utils import timezone

from casework import alerts
from casework.models import Alert
from casework.services.people import party_add, person_create
from risk.alert_checks import CHECKS
from risk.models import EscalationSnapshot, RiskAssessment

CHECK = {check.kind: check for check in CHECKS}


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


def _open(kind):
    return list(Alert.objects.filter(kind=kind, resolved_at__isnull=True))


def _assessment(officer, case, victim, **fields):
    return RiskAssessment.objects.create(case=case, victim=victim, assessor=officer, **fields)


def test_a_victim_unassessed_24_hours_after_the_report_raises_an_alert_until_assessed(officer, case, victim):
    check = CHECK["risk_assessment_missing"]
    alerts.sweep(check, now=case.created_at + timedelta(hours=23))
    assert _open(check.kind) == []
    alerts.sweep(check, now=case.created_at + timedelta(hours=25))
    (alert,) = _open(check.kind)
    assert alert.facts == {"victims": [victim.pk]} and alert.severity == "urgent"
    _assessment(officer, case, victim, status="completed", grade="standard", completed_at=timezone.now())
    alerts.sweep(check, now=case.created_at + timedelta(hours=26))
    assert _open(check.kind) == []


def test_high_risk_waiting_for_sign_off_goes_to_supervisors(officer, case, victim):
    check = CHECK["high_risk_not_signed_off"]
    _assessment(officer, case, victim, status="completed", grade="high", completed_at=timezone.now())
    alerts.sweep(check, now=timezone.now() + timedelta(hours=25))
    (alert,) = _open(check.kind)
    assert alert.audience == "supervisor"


def test_an_overdue_review_and_a_rise_in_escalation_are_flagged(officer, case, victim):
    _assessment(
        officer, case, victim, status="completed", grade="medium", completed_at=timezone.now(),
        next_review_due=timezone.localdate() - timedelta(days=1), escalation_level="rising",
    )  # fmt: skip
    alerts.sweep(CHECK["risk_review_overdue"])
    assert len(_open("risk_review_overdue")) == 1
    EscalationSnapshot.objects.create(case=case, level="rising", score=4, computed_at=timezone.now())
    alerts.sweep(CHECK["escalation_rose"])
    assert _open("escalation_rose") == []
    EscalationSnapshot.objects.create(case=case, level="critical", score=20, computed_at=timezone.now())
    alerts.sweep(CHECK["escalation_rose"])
    (alert,) = _open("escalation_rose")
    assert alert.severity == "urgent" and alert.facts == {"from": "rising", "to": "critical"}


def test_an_imported_assessment_with_the_stalking_question_yes_and_no_supplementary_answers_is_flagged(
    officer, case, victim
):
    answers = {"dash_8": {"answer": "yes"}, "sh_1": {"answer": "no"}}
    _assessment(officer, case, victim, status="completed", grade="medium", completed_at=timezone.now(), answers=answers)
    alerts.sweep(CHECK["stalking_questions_missing"])
    (alert,) = _open("stalking_questions_missing")
    assert alert.severity == "urgent"
