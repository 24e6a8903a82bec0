"""A charge authorised, or a case charged, with no restraining-order decision at charge raises an alert
(issue 13; protocol 2018 §9)."""

from django.utils import timezone

from casework import alerts
from casework.models import Alert, Case
from orders.alert_checks import CHECKS
from orders.models import RestrainingOrderDecision
from protocol.tests.factories import charge, handover_to

CHECK = {check.kind: check for check in CHECKS}["restraining_order_undecided"]


def _open() -> list[Alert]:
    return list(Alert.objects.filter(kind=CHECK.kind, resolved_at__isnull=True))


def test_a_cps_charge_without_the_decision_raises_an_alert_until_it_is_recorded(officer, lawyer, case):
    handover = handover_to(case, lawyer)
    alerts.sweep(CHECK, now=timezone.now())
    assert _open() == []  # no decision from the CPS yet
    charge(handover)
    alerts.sweep(CHECK, now=timezone.now())
    assert [a.case_id for a in _open()] == [case.pk]
    RestrainingOrderDecision.objects.create(
        case=case, moment="charge", sought=False, reason="She does not want one", decided_by=officer,
        decided_at=timezone.now(),
    )  # fmt: skip
    alerts.sweep(CHECK, now=timezone.now())
    assert _open() == []


def test_a_case_charged_before_the_rule_is_found_too(case):
    Case.objects.filter(pk=case.pk).update(stage="at_court")
    alerts.sweep(CHECK, now=timezone.now())
    assert [a.case_id for a in _open()] == [case.pk]
