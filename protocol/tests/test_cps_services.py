"""The prosecutor's side (protocol/services/cps.py): who sees which charging requests, the action plan
and the charging decision, each with its preconditions, its timeline row and nothing half-saved."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.policy import Action
from casework.choices import TimelineKind
from casework.models import TimelineEvent
from casework.services.cases import case_access_revoke
from casework.tests.factories import CaseFactory
from config.errors import InvalidInput, TransitionNotAllowed
from protocol import choices as c
from protocol import selectors
from protocol.models import ActionItem
from protocol.services import cps
from protocol.tests.factories import charge, handover_to, raise_action


def _timeline(case, kind):
    events = TimelineEvent.objects.filter(case=case, kind=kind).order_by("occurred_at", "pk")
    return list(events.values_list("summary", flat=True))


# --- Who sees which requests ------------------------------------------------------------------------


def test_it_shows_a_lawyer_only_the_requests_sent_to_them_and_the_police_all_of_their_case(
    officer, supervisor, registrar, stranger, lawyer, other_lawyer, case
):
    mine = handover_to(case, lawyer)
    theirs = handover_to(case, other_lawyer)
    assert set(selectors.handovers_for_user(lawyer)) == {mine}
    assert set(selectors.handovers_for_user(other_lawyer)) == {theirs}
    for police in (officer, supervisor, registrar):
        assert set(selectors.handovers_for_user(police)) == {mine, theirs}
    assert list(selectors.handovers_for_user(stranger)) == []
    assert selectors.handover_access(lawyer, mine.pk) == mine
    with pytest.raises(Http404):
        selectors.handover_access(lawyer, theirs.pk)  # granted on the case, but not sent to them
    with pytest.raises(Http404):
        selectors.handover_access(stranger, mine.pk)
    with pytest.raises(Http404):
        selectors.handover_access(lawyer, 0)


def test_a_lawyer_whose_grant_is_revoked_no_longer_sees_the_request(officer, lawyer, case):
    handover = handover_to(case, lawyer)
    case_access_revoke(actor=officer, case=case, grantee=lawyer, action=Action.VIEW_HANDOVER)
    assert list(selectors.handovers_for_user(lawyer)) == []
    with pytest.raises(Http404):
        selectors.handover_access(lawyer, handover.pk)


def test_the_queue_puts_requests_awaiting_a_decision_first_then_red_then_the_oldest(officer, lawyer, case):
    now = timezone.now()
    other = CaseFactory(unit=officer.unit, officer=officer)
    green_old = handover_to(case, lawyer, sent_at=now - timedelta(days=5))
    red_new = handover_to(other, lawyer, priority=c.Priority.RED, sent_at=now - timedelta(hours=1))
    red_old = handover_to(case, lawyer, priority=c.Priority.RED, sent_at=now - timedelta(days=1))
    priority = handover_to(case, lawyer, priority=c.Priority.GREEN_PRIORITY, sent_at=now - timedelta(days=2))
    decided_red = handover_to(other, lawyer, priority=c.Priority.RED, sent_at=now - timedelta(days=9))
    charge(decided_red)
    raise_action(green_old)
    queue = list(selectors.handover_queue(lawyer))
    assert queue == [red_old, red_new, priority, green_old, decided_red]
    assert [h.open_actions for h in queue] == [0, 0, 0, 1, 0]


# --- The action plan --------------------------------------------------------------------------------


def test_the_lawyer_raises_an_action_and_the_timeline_records_it(lawyer, case):
    handover = handover_to(case, lawyer)
    item = raise_action(handover)
    assert item.case_id == case.pk and item.handover_id == handover.pk and item.raised_by_id == lawyer.pk
    (summary,) = _timeline(case, TimelineKind.HANDOVER)
    assert summary.startswith("CPS action raised (due ") and "Obtain the CCTV" in summary


def test_only_the_lawyer_it_was_sent_to_raises_actions(officer, supervisor, other_lawyer, lawyer, case):
    handover = handover_to(case, lawyer)
    handover_to(case, other_lawyer)
    for actor in (officer, supervisor, other_lawyer):
        with pytest.raises(InvalidInput, match="Only the prosecutor"):
            cps.action_raise(actor=actor, handover=handover, request="x", due_on=timezone.localdate())
    assert ActionItem.objects.count() == 0


@pytest.mark.parametrize(
    ("request_text", "due_in", "field"),
    [("  ", 3, "request"), ("Statement", -1, "due_on"), ("Statement", None, "due_on")],
)
def test_an_action_needs_a_request_and_a_due_date_not_in_the_past(lawyer, case, request_text, due_in, field):
    handover = handover_to(case, lawyer)
    due_on = None if due_in is None else timezone.localdate() + timedelta(days=due_in)
    with pytest.raises(InvalidInput) as refused:
        cps.action_raise(actor=lawyer, handover=handover, request=request_text, due_on=due_on)
    assert field in refused.value.errors
    assert ActionItem.objects.count() == 0 and _timeline(case, TimelineKind.HANDOVER) == []


def test_no_action_is_raised_on_a_withdrawn_request(lawyer, case):
    handover = handover_to(case, lawyer, status=c.HandoverStatus.WITHDRAWN)
    with pytest.raises(TransitionNotAllowed):
        raise_action(handover)


def test_the_police_answer_an_action_once_and_the_timeline_records_it(officer, lawyer, case):
    item = raise_action(handover_to(case, lawyer))
    item.case = case
    answered = cps.action_answer(actor=officer, item=item, answer="CCTV seized: exhibit PS/3")
    assert answered.answered_by_id == officer.pk and answered.answered_at is not None
    assert _timeline(case, TimelineKind.HANDOVER)[-1].startswith("CPS action answered: Obtain the CCTV")
    with pytest.raises(TransitionNotAllowed, match="already been answered"):
        cps.action_answer(actor=officer, item=item, answer="again")
    assert ActionItem.objects.get(pk=item.pk).answer == "CCTV seized: exhibit PS/3"


def test_only_police_who_may_change_the_case_answer(registrar, stranger, lawyer, case):
    item = raise_action(handover_to(case, lawyer))
    item.case = case
    for actor in (lawyer, registrar, stranger):
        with pytest.raises(InvalidInput, match="Only the police"):
            cps.action_answer(actor=actor, item=item, answer="done")
    with pytest.raises(InvalidInput) as refused:
        cps.action_answer(actor=case.officer, item=item, answer="  ")
    assert "answer" in refused.value.errors
    assert ActionItem.objects.get(pk=item.pk).answered_at is None


# --- The decision -----------------------------------------------------------------------------------


def test_the_lawyer_decides_to_charge_once_and_the_timeline_records_it(lawyer, case):
    handover = handover_to(case, lawyer)
    decided = charge(handover)
    handover.refresh_from_db()
    assert handover.status == c.HandoverStatus.DECIDED and decided.version == handover.version == 2
    assert handover.decision == c.Decision.CHARGE and handover.offences_charged == [c.Offence.PHA_S4A_DISTRESS]
    assert handover.decided_by_id == lawyer.pk and handover.decided_at is not None
    (summary,) = _timeline(case, TimelineKind.CHARGING)
    assert summary == "CPS decision: Charge – Stalking causing serious alarm or distress (PHA 1997 s.4A(1)(b)(ii))"
    assert AuditEntry.objects.filter(object_type="protocol.handover", object_id=str(handover.pk)).exists()
    with pytest.raises(TransitionNotAllowed, match="cannot be decided again"):
        charge(handover, decision=c.Decision.NFA_EVIDENTIAL, offences_charged=[])
    handover.refresh_from_db()
    assert handover.decision == c.Decision.CHARGE and len(_timeline(case, TimelineKind.CHARGING)) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"offences_charged": []}, "offences_charged"),
        ({"code_test": ""}, "code_test"),
        ({"rationale": "   "}, "rationale"),
        ({"decision": "caution"}, "decision"),
        ({"offences_charged": ["murder"]}, "offences_charged"),
        ({"decision": c.Decision.NFA_PUBLIC_INTEREST}, "offences_charged"),
    ],
)
def test_a_decision_is_refused_without_what_it_needs_and_nothing_is_saved(lawyer, case, overrides, field):
    handover = handover_to(case, lawyer)
    with pytest.raises(InvalidInput) as refused:
        charge(handover, **overrides)
    assert field in refused.value.errors
    handover.refresh_from_db()
    assert handover.status == c.HandoverStatus.AWAITING_DECISION and handover.decision == ""
    assert _timeline(case, TimelineKind.CHARGING) == []


def test_no_further_action_needs_only_the_rationale(lawyer, case):
    handover = handover_to(case, lawyer)
    decided = charge(handover, decision=c.Decision.NFA_EVIDENTIAL, code_test="", offences_charged=[])
    assert decided.decision == c.Decision.NFA_EVIDENTIAL and decided.offences_charged == []
    assert _timeline(case, TimelineKind.CHARGING) == ["CPS decision: No further action: evidential stage not met"]


def test_only_the_lawyer_it_was_sent_to_decides(officer, supervisor, other_lawyer, lawyer, case):
    handover = handover_to(case, lawyer)
    handover_to(case, other_lawyer)
    for actor in (officer, supervisor, other_lawyer):
        with pytest.raises(InvalidInput, match="Only the prosecutor"):
            cps.handover_decide(
                actor=actor, handover=handover, decision=c.Decision.NFA_EVIDENTIAL, code_test="",
                offences_charged=[], rationale="No",
            )  # fmt: skip
    handover.refresh_from_db()
    assert handover.status == c.HandoverStatus.AWAITING_DECISION
