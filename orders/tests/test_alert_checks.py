"""Protection's alert checks (orders/alert_checks.py) with the clock controlled: each is not raised
before it is due, raised once when due however often the sweep runs, and resolved when the condition
clears through the service that clears it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import alerts
from casework.choices import AlertKind, CaseStage, OutcomeCode, PartyRole
from casework.models import Alert, Case
from casework.tests.factories import CaseFactory
from orders import choices as c
from orders import services
from orders.alert_checks import CHECKS
from orders.models import Breach, VictimNotice
from orders.tests.factories import (
    BreachFactory,
    BreachProposalFactory,
    CasePartyFactory,
    ConditionFactory,
    ProtectiveOrderFactory,
    SuspectRouteFactory,
    VictimNoticeFactory,
)

LONDON = ZoneInfo("Europe/London")
CHECK = {check.kind: check for check in CHECKS}


def at(day: date, hour: int = 10):
    """Travel to `hour` o'clock local time on `day` (the clock stands still)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False)


def sweep(kind: str, day: date, hour: int = 10) -> alerts.SweepResult:
    with at(day, hour):
        return alerts.sweep(CHECK[kind])


def _open(kind: str) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind, resolved_at__isnull=True))


@pytest.fixture
def victim(case):
    return CasePartyFactory(case=case, role=PartyRole.VICTIM, person__first_name="Jane").person


@pytest.fixture
def suspect(case):
    return CasePartyFactory(case=case, role=PartyRole.SUSPECT, person__first_name="John").person


def test_it_names_every_protection_alert_kind_once():
    assert sorted(CHECK) == sorted(
        [
            AlertKind.ORDER_EXPIRING, AlertKind.BAIL_EXPIRING, AlertKind.ORDER_NOTIFICATION_MISSED,
            AlertKind.VICTIM_NOT_TOLD, AlertKind.ROUTE_AWAITING_REVIEW, AlertKind.BREACH_PROPOSED,
            AlertKind.BREACH_OFFENCE_NOT_CONSIDERED, AlertKind.RESTRAINING_ORDER_UNDECIDED,
        ]
    )  # fmt: skip
    assert {check.kind for check in alerts.all_checks()} >= set(CHECK)


# --- Orders expiring ----------------------------------------------------------------------------------


def test_an_expiring_order_warns_within_its_window_once_turns_urgent_after_expiry_and_clears_when_recorded(
    officer, case
):
    kind = AlertKind.ORDER_EXPIRING
    order = ProtectiveOrderFactory(case=case, in_force=True, expires_on=date(2026, 4, 30))
    sweep(kind, date(2026, 4, 1))  # 29 days ahead: outside the 28-day window of a restraining order
    assert _open(kind) == []
    assert sweep(kind, date(2026, 4, 2)).raised == 1
    assert sweep(kind, date(2026, 4, 2), hour=16).raised == 0
    (alert,) = _open(kind)
    assert alert.severity == "warning" and alert.audience == "oic"
    assert alert.facts == {"orders": [{"order": order.pk, "expires_on": "2026-04-30"}]}
    assert alert.due_at == datetime(2026, 5, 1, tzinfo=LONDON)  # the end of its last day in force
    sweep(kind, date(2026, 4, 30))
    assert _open(kind)[0].severity == "warning"  # still in force on its last day
    sweep(kind, date(2026, 5, 1))
    (alert,) = _open(kind)
    assert alert.severity == "urgent"
    with at(date(2026, 5, 1)):
        services.order_transition(actor=officer, order=order, action="expire", expected_version=order.version)
    assert sweep(kind, date(2026, 5, 1), hour=11).resolved == 1
    assert _open(kind) == []


@pytest.mark.parametrize(
    ("order_type", "window"),
    [(c.OrderType.SPO, 90), (c.OrderType.INTERIM_SPO, 14), (c.OrderType.DVPO, 7), (c.OrderType.NON_MOLESTATION, 28)],
)
def test_each_order_type_is_warned_of_within_its_own_window(case, order_type, window):
    expires = date(2026, 9, 30)
    ProtectiveOrderFactory(case=case, in_force=True, order_type=order_type, expires_on=expires)
    sweep(AlertKind.ORDER_EXPIRING, expires - timedelta(days=window + 1))
    assert _open(AlertKind.ORDER_EXPIRING) == []
    sweep(AlertKind.ORDER_EXPIRING, expires - timedelta(days=window))
    assert len(_open(AlertKind.ORDER_EXPIRING)) == 1


def test_a_renewed_order_is_no_longer_expiring(officer, case):
    order = ProtectiveOrderFactory(case=case, in_force=True, expires_on=date(2026, 4, 30))
    sweep(AlertKind.ORDER_EXPIRING, date(2026, 4, 20))
    assert len(_open(AlertKind.ORDER_EXPIRING)) == 1
    with at(date(2026, 4, 20)):
        services.order_transition(
            actor=officer, order=order, action="renew", expected_version=order.version, duration_value=2,
            duration_unit=c.DurationUnit.YEARS,
        )  # fmt: skip
    sweep(AlertKind.ORDER_EXPIRING, date(2026, 4, 21))
    assert _open(AlertKind.ORDER_EXPIRING) == []


def test_orders_that_do_not_bind_or_never_expire_are_not_expiring(case):
    ProtectiveOrderFactory(case=case, status=c.OrderStatus.APPLIED, expires_on=date(2026, 4, 30))
    ProtectiveOrderFactory(case=case, in_force=True, until_further_order=True, expires_on=None)
    sweep(AlertKind.ORDER_EXPIRING, date(2026, 5, 10))
    assert _open(AlertKind.ORDER_EXPIRING) == []


# --- Bail ending --------------------------------------------------------------------------------------


def test_bail_ending_warns_a_week_ahead_once_turns_urgent_after_and_clears_when_bail_ends(officer, case):
    kind = AlertKind.BAIL_EXPIRING
    with at(date(2026, 3, 2)):
        route = SuspectRouteFactory(case=case, bail=True, occurred_on=date(2026, 3, 1), bail_end=date(2026, 5, 29))
    sweep(kind, date(2026, 5, 21))
    assert _open(kind) == []
    assert sweep(kind, date(2026, 5, 22)).raised == 1
    assert sweep(kind, date(2026, 5, 22), hour=15).raised == 0
    (alert,) = _open(kind)
    assert alert.severity == "warning" and alert.facts == {"routes": [{"route": route.pk, "bail_end": "2026-05-29"}]}
    sweep(kind, date(2026, 5, 30))
    assert _open(kind)[0].severity == "urgent"
    with at(date(2026, 5, 30)):
        services.bail_end(actor=officer, route=route, ended_on=date(2026, 5, 29), reason="Charged and remanded")
    assert sweep(kind, date(2026, 5, 30), hour=11).resolved == 1


def test_routes_other_than_bail_are_not_bail_ending(case):
    SuspectRouteFactory(case=case, route=c.Route.ARREST, occurred_on=date(2026, 5, 1))
    sweep(AlertKind.BAIL_EXPIRING, date(2026, 6, 1))
    assert _open(AlertKind.BAIL_EXPIRING) == []


# --- The respondent's notification -------------------------------------------------------------------


def test_a_missed_notification_is_urgent_the_day_after_the_last_day_and_clears_when_he_notifies(officer, case):
    kind = AlertKind.ORDER_NOTIFICATION_MISSED
    order = ProtectiveOrderFactory(
        case=case, in_force=True, order_type=c.OrderType.SPO, served_on=date(2026, 3, 2),
        notification_due_on=date(2026, 3, 5), expires_on=date(2028, 3, 1),
    )  # fmt: skip
    sweep(kind, date(2026, 3, 5), hour=23)
    assert _open(kind) == []
    sweep(kind, date(2026, 3, 6))
    sweep(kind, date(2026, 3, 7))
    (alert,) = _open(kind)
    assert alert.severity == "urgent" and alert.audience == "oic"
    assert alert.facts == {"orders": [{"order": order.pk, "notification_due_on": "2026-03-05"}]}
    with at(date(2026, 3, 7)):
        services.order_respondent_notified(actor=officer, order=order, on=date(2026, 3, 6))
    sweep(kind, date(2026, 3, 7), hour=11)
    assert _open(kind) == []


# --- The victim told ---------------------------------------------------------------------------------


def test_a_victim_not_told_within_one_working_day_of_service_raises_an_urgent_alert_until_told(
    officer, case, victim, suspect
):
    kind = AlertKind.VICTIM_NOT_TOLD
    order = ProtectiveOrderFactory(
        case=case, status=c.OrderStatus.GRANTED, respondent=suspect, protected_people=[victim],
        applied_on=date(2026, 11, 2), granted_on=date(2026, 11, 16), decided_on=date(2026, 11, 16),
        duration_value=2, duration_unit=c.DurationUnit.YEARS, expires_on=date(2028, 11, 15),
    )  # fmt: skip
    with at(date(2026, 11, 20)):  # a Friday
        services.order_transition(actor=officer, order=order, action="serve", expected_version=order.version)
    (notice,) = VictimNotice.objects.filter(case=case)
    assert notice.due_on == date(2026, 11, 23)  # the next working day
    sweep(kind, date(2026, 11, 23), hour=18)
    assert _open(kind) == []
    sweep(kind, date(2026, 11, 24), hour=9)
    sweep(kind, date(2026, 11, 24), hour=12)
    (alert,) = _open(kind)
    assert alert.severity == "urgent" and alert.facts == {"notices": [notice.pk], "victims": [victim.pk]}
    with at(date(2026, 11, 24), hour=13):
        services.victim_notice_informed(actor=officer, notice=notice, informed_at=timezone.now(), method="phone")
    assert sweep(kind, date(2026, 11, 24), hour=14).resolved == 1


# --- A supervisor's review ---------------------------------------------------------------------------


def test_a_route_without_bail_conditions_awaits_a_supervisor_until_reviewed(supervisor, case):
    kind = AlertKind.ROUTE_AWAITING_REVIEW
    SuspectRouteFactory(case=case, route=c.Route.VOLUNTARY_INTERVIEW)  # not risky: no review needed
    sweep(kind, date(2026, 6, 1))
    assert _open(kind) == []
    route = SuspectRouteFactory(
        case=case, route=c.Route.RELEASED_UNDER_INVESTIGATION, needs_review=True, unprotected_reason="No grounds"
    )
    sweep(kind, date(2026, 6, 1))
    sweep(kind, date(2026, 6, 2))
    (alert,) = _open(kind)
    assert alert.audience == "supervisor" and alert.severity == "warning" and alert.facts == {"routes": [route.pk]}
    services.route_review(actor=supervisor, route=route, note="Agreed; arrest if he calls her")
    sweep(kind, date(2026, 6, 2), hour=11)
    assert _open(kind) == []


# --- Breaches ----------------------------------------------------------------------------------------


def test_a_possible_breach_waits_for_the_officer_until_decided(officer, case):
    kind = AlertKind.BREACH_PROPOSED
    settled = BreachProposalFactory(condition__order__case=case, status=c.ProposalStatus.REJECTED)
    sweep(kind, date(2026, 6, 1))
    assert _open(kind) == []
    proposal = BreachProposalFactory(condition=settled.condition)
    sweep(kind, date(2026, 6, 1))
    sweep(kind, date(2026, 6, 2))
    (alert,) = _open(kind)
    assert alert.facts == {"proposals": [proposal.pk]} and alert.audience == "oic"
    services.breach_proposal_reject(actor=officer, proposal=proposal, reason="She texted him first about the kids")
    sweep(kind, date(2026, 6, 2), hour=11)
    assert _open(kind) == []


def test_a_breach_not_considered_as_a_further_offence_a_day_later_raises_a_warning_until_decided(officer, case):
    kind = AlertKind.BREACH_OFFENCE_NOT_CONSIDERED
    with at(date(2026, 6, 1)):
        breach = BreachFactory(order__case=case)
    sweep(kind, date(2026, 6, 2), hour=9)
    assert _open(kind) == []
    sweep(kind, date(2026, 6, 2), hour=11)
    sweep(kind, date(2026, 6, 3))
    (alert,) = _open(kind)
    assert alert.severity == "warning" and alert.facts == {"breaches": [breach.pk]}
    assert alert.due_at == datetime(2026, 6, 2, 10, tzinfo=LONDON)
    services.breach_substantive_decide(
        actor=officer, breach=breach, decision=c.SubstantiveDecision.FURTHER_OFFENCE, note=""
    )
    sweep(kind, date(2026, 6, 3), hour=11)
    assert _open(kind) == []


# --- Every check: open cases only, and a fixed number of queries ---------------------------------------


def everything_due(case: Case) -> None:
    """One row of every kind, each already due on 1 June 2026."""
    with at(date(2026, 5, 1)):
        order = ProtectiveOrderFactory(
            case=case, in_force=True, expires_on=date(2026, 5, 31), notification_due_on=date(2026, 4, 20)
        )
        SuspectRouteFactory(case=case, bail=True, occurred_on=date(2026, 4, 1), bail_end=date(2026, 5, 30))
        VictimNoticeFactory(case=case, order=order, due_on=date(2026, 5, 28))
        SuspectRouteFactory(case=case, route=c.Route.RELEASED_UNDER_INVESTIGATION, needs_review=True)
        BreachProposalFactory(condition=ConditionFactory(order=order))
        BreachFactory(order=order)
        Case.objects.filter(pk=case.pk).update(stage=CaseStage.AT_COURT)  # charged, no restraining-order decision


def test_every_check_raises_on_open_cases_and_resolves_when_the_case_is_finalised(officer, case):
    everything_due(case)
    with at(date(2026, 6, 1)):
        results = [alerts.sweep(check) for check in CHECKS]
    assert [r.raised for r in results] == [1] * len(CHECKS)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.FINALISED, outcome_code=OutcomeCode.choices[0][0])
    with at(date(2026, 6, 1), hour=11):
        results = [alerts.sweep(check) for check in CHECKS]
    assert [r.resolved for r in results] == [1] * len(CHECKS)


def test_a_sweep_of_one_case_leaves_the_others_alone(officer, case):
    other = CaseFactory(unit=officer.unit, officer=officer)
    everything_due(case)
    everything_due(other)
    with at(date(2026, 6, 1)):
        for check in CHECKS:
            alerts.sweep(check, case_ids=[case.pk])
    assert set(Alert.objects.values_list("case_id", flat=True)) == {case.pk}


@pytest.mark.parametrize("check", CHECKS, ids=[check.kind for check in CHECKS])
def test_each_checks_query_count_does_not_grow_with_the_number_of_cases(officer, check):
    def queries() -> tuple[int, int]:
        Alert.objects.all().delete()
        with at(date(2026, 6, 1)), CaptureQueriesContext(connection) as captured:
            result = alerts.sweep(check)
        return len(captured), result.raised

    everything_due(CaseFactory(unit=officer.unit, officer=officer))
    one, raised = queries()
    assert raised == 1
    for _ in range(4):
        everything_due(CaseFactory(unit=officer.unit, officer=officer))
    assert queries() == (one, 5)
    assert Breach.objects.count() == 5
