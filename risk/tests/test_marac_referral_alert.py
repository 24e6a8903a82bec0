"""MARAC criteria met → a MARAC referral recorded, or an alert (issue 13; SafeLives criteria, domain.md §1.3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import alerts
from casework.models import Alert, SupportReferral
from casework.services.people import party_add, person_create
from risk.alert_checks import CHECKS
from risk.models import RiskAssessment

CHECK = {check.kind: check for check in CHECKS}["marac_referral_missing"]


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


def _assessed(officer, case, victim, *, required: bool, days_ago: int = 2) -> RiskAssessment:
    return RiskAssessment.objects.create(
        case=case, victim=victim, assessor=officer, status="completed", grade="high",
        completed_at=timezone.now() - timedelta(days=days_ago), marac_referral_required=required,
    )  # fmt: skip


def _open() -> list[Alert]:
    return list(Alert.objects.filter(kind=CHECK.kind, resolved_at__isnull=True))


def test_a_met_criterion_without_a_referral_raises_an_alert_until_the_referral_is_recorded(officer, case, victim):
    assessment = _assessed(officer, case, victim, required=True)
    alerts.sweep(CHECK, now=timezone.now())
    (alert,) = _open()
    assert alert.facts["assessments"] == [assessment.pk] and alert.severity == "urgent"
    SupportReferral.objects.create(
        case=case, victim=victim, service="marac", referred_on=timezone.localdate(), recorded_by=officer
    )
    alerts.sweep(CHECK, now=timezone.now())
    assert _open() == []


def test_a_referral_before_the_assessment_does_not_answer_it(officer, case, victim):
    SupportReferral.objects.create(
        case=case, victim=victim, service="marac", referred_on=timezone.localdate() - timedelta(days=30),
        recorded_by=officer,
    )  # fmt: skip
    _assessed(officer, case, victim, required=True)
    alerts.sweep(CHECK, now=timezone.now())
    assert len(_open()) == 1


def test_no_alert_within_the_days_allowed_or_when_no_criterion_is_met(officer, case, victim, settings):
    settings.MARAC_REFERRAL_DUE_DAYS = 3
    _assessed(officer, case, victim, required=True, days_ago=2)
    alerts.sweep(CHECK, now=timezone.now())
    assert _open() == []
    _assessed(officer, case, victim, required=False, days_ago=1)  # the latest assessment meets none
    alerts.sweep(CHECK, now=timezone.now() + timedelta(days=5))
    assert _open() == []
