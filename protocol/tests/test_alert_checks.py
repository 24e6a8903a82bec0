"""The handover's alert checks (protocol/alert_checks.py) with the clock controlled: each is not raised
before it is due, raised once when due however often the sweep runs, resolved when the condition clears
through the service that clears it, and its query count does not grow with the number of cases."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import alerts
from casework.choices import AlertKind, CaseStage, OutcomeCode
from casework.models import Alert, Case
from casework.tests.factories import CaseFactory
from protocol import choices as c
from protocol.alert_checks import CHECKS
from protocol.services import cps
from protocol.tests.factories import charge, handover_to

LONDON = ZoneInfo("Europe/London")
CHECK = {check.kind: check for check in CHECKS}


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False)


def sweep(kind: str, day: date, hour: int = 10) -> alerts.SweepResult:
    with at(day, hour):
        return alerts.sweep(CHECK[kind])


def _open(kind: str) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind, resolved_at__isnull=True))


def test_it_names_both_handover_alert_kinds_and_the_sweep_finds_them():
    assert sorted(CHECK) == sorted([AlertKind.CPS_ACTION_OVERDUE, AlertKind.CHARGE_NOT_ACTED_ON])
    assert {check.kind for check in alerts.all_checks()} >= set(CHECK)


def test_an_unanswered_action_is_flagged_after_its_due_date_once_and_cleared_when_answered(officer, lawyer, case):
    kind = AlertKind.CPS_ACTION_OVERDUE
    with at(date(2026, 6, 1)):
        handover = handover_to(case, lawyer)
        item = cps.action_raise(actor=lawyer, handover=handover, request="Statement", due_on=date(2026, 6, 5))
    sweep(kind, date(2026, 6, 5), hour=23)  # still due that day
    assert _open(kind) == []
    assert sweep(kind, date(2026, 6, 6)).raised == 1
    assert sweep(kind, date(2026, 6, 6), hour=15).raised == 0
    (alert,) = _open(kind)
    assert alert.severity == "warning" and alert.audience == "oic"
    assert alert.facts == {"actions": [{"action": item.pk, "due_on": "2026-06-05"}], "handovers": [handover.pk]}
    assert alert.due_at == datetime(2026, 6, 6, tzinfo=LONDON)
    item.case = case
    with at(date(2026, 6, 7)):
        cps.action_answer(actor=officer, item=item, answer="Taken")
    sweep(kind, date(2026, 6, 7), hour=11)
    assert _open(kind) == []


def test_an_action_of_a_withdrawn_request_is_not_flagged(lawyer, case):
    with at(date(2026, 6, 1)):
        handover = handover_to(case, lawyer)
        cps.action_raise(actor=lawyer, handover=handover, request="Statement", due_on=date(2026, 6, 2))
    handover.status = c.HandoverStatus.WITHDRAWN
    handover.save(update_fields=["status"])
    sweep(AlertKind.CPS_ACTION_OVERDUE, date(2026, 6, 10))
    assert _open(AlertKind.CPS_ACTION_OVERDUE) == []


def test_a_charge_not_acted_on_within_two_days_is_urgent_until_the_case_is_charged(officer, lawyer, case):
    kind = AlertKind.CHARGE_NOT_ACTED_ON
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.CHARGING_ADVICE_REQUESTED)
    with at(date(2026, 6, 1)):
        handover = charge(handover_to(case, lawyer))
    sweep(kind, date(2026, 6, 3), hour=9)  # 47 hours later
    assert _open(kind) == []
    assert sweep(kind, date(2026, 6, 3), hour=10).raised == 1
    assert sweep(kind, date(2026, 6, 4)).raised == 0
    (alert,) = _open(kind)
    assert alert.severity == "urgent" and alert.facts == {"handovers": [handover.pk]}
    assert alert.due_at == datetime(2026, 6, 3, 10, tzinfo=LONDON)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.CHARGED)
    sweep(kind, date(2026, 6, 4), hour=11)
    assert _open(kind) == []


@pytest.mark.parametrize("decision", [c.Decision.NFA_EVIDENTIAL, c.Decision.OUT_OF_COURT])
def test_a_decision_other_than_charge_raises_nothing(lawyer, case, decision):
    with at(date(2026, 6, 1)):
        charge(handover_to(case, lawyer), decision=decision, code_test="", offences_charged=[])
    sweep(AlertKind.CHARGE_NOT_ACTED_ON, date(2026, 6, 10))
    assert _open(AlertKind.CHARGE_NOT_ACTED_ON) == []


def test_the_setting_sets_the_days_to_act_on_a_charge(settings, lawyer, case):
    settings.CHARGE_ACT_WITHIN_DAYS = 5
    with at(date(2026, 6, 1)):
        charge(handover_to(case, lawyer))
    sweep(AlertKind.CHARGE_NOT_ACTED_ON, date(2026, 6, 5))
    assert _open(AlertKind.CHARGE_NOT_ACTED_ON) == []
    sweep(AlertKind.CHARGE_NOT_ACTED_ON, date(2026, 6, 6))
    assert len(_open(AlertKind.CHARGE_NOT_ACTED_ON)) == 1


# --- Every check: open cases only, one case at a time, and a fixed number of queries --------------------


def everything_due(case, lawyer) -> None:
    """An overdue action and a charge not acted on, both due by 10 June 2026."""
    with at(date(2026, 6, 1)):
        handover = handover_to(case, lawyer)
        cps.action_raise(actor=lawyer, handover=handover, request="Statement", due_on=date(2026, 6, 2))
        charge(handover_to(case, lawyer))


def test_every_check_raises_on_open_cases_and_resolves_when_the_case_is_finalised(lawyer, case):
    everything_due(case, lawyer)
    with at(date(2026, 6, 10)):
        assert [alerts.sweep(check).raised for check in CHECKS] == [1, 1]
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.FINALISED, outcome_code=OutcomeCode.choices[0][0])
    with at(date(2026, 6, 10), hour=11):
        assert [alerts.sweep(check).resolved for check in CHECKS] == [1, 1]


def test_a_sweep_of_one_case_leaves_the_others_alone(officer, lawyer, case):
    other = CaseFactory(unit=officer.unit, officer=officer)
    everything_due(case, lawyer)
    everything_due(other, lawyer)
    with at(date(2026, 6, 10)):
        for check in CHECKS:
            alerts.sweep(check, case_ids=[case.pk])
    assert set(Alert.objects.values_list("case_id", flat=True)) == {case.pk}


@pytest.mark.parametrize("check", CHECKS, ids=[check.kind for check in CHECKS])
def test_each_checks_query_count_does_not_grow_with_the_number_of_cases(officer, lawyer, check):
    def queries() -> tuple[int, int]:
        Alert.objects.all().delete()
        with at(date(2026, 6, 10)), CaptureQueriesContext(connection) as captured:
            result = alerts.sweep(check)
        return len(captured), result.raised

    everything_due(CaseFactory(unit=officer.unit, officer=officer), lawyer)
    one, raised = queries()
    assert raised == 1
    for _ in range(4):
        everything_due(CaseFactory(unit=officer.unit, officer=officer), lawyer)
    assert queries() == (one, 5)


def test_the_due_date_is_the_end_of_the_last_day(lawyer, case):
    with at(date(2026, 6, 1)):
        handover = handover_to(case, lawyer)
        cps.action_raise(actor=lawyer, handover=handover, request="A", due_on=date(2026, 6, 3))
        cps.action_raise(actor=lawyer, handover=handover, request="B", due_on=date(2026, 6, 2))
    sweep(AlertKind.CPS_ACTION_OVERDUE, date(2026, 6, 4))
    (alert,) = _open(AlertKind.CPS_ACTION_OVERDUE)
    assert [a["due_on"] for a in alert.facts["actions"]] == ["2026-06-02", "2026-06-03"]
    assert alert.due_at == datetime(2026, 6, 2, tzinfo=LONDON) + timedelta(days=1)
