"""The protocol checklist: the pure rules (no database), and the facts gathered from a real case.

`make_ready(case)` builds a case whose every item is met; other protocol tests import it."""

from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from protocol import checklist as cl
from protocol.tests.factories import make_ready

# ---------------------------------------------------------------- the pure rules, without the database

PREP = cl.PreparationFacts(
    offences=("pha_s2a",),
    offence_labels=("Stalking (PHA 1997 s.2A)",),
    headline="He stalked her for three months after she ended the relationship.",
    key_witnesses="Her sister saw him outside the house twice.",
    interview_summary="He denies; says he only wanted to talk.",
    vps="taken",
    vps_on=date(2026, 3, 2),
    vps_summary="She has moved her daughter to another school.",
    special_measures="not_needed",
    special_measures_on=date(2026, 3, 2),
    suspect_risk="Fixated; recently lost his job. Managed by bail conditions and the SPO.",
)
RISK = cl.RiskFacts(
    completed_on=date(2026, 2, 20),
    grade="High",
    stalking_question_yes=True,
    supplementary_asked=True,
    supplementary_unanswered=0,
    plan_actions=2,
)
CONSULTED = (cl.ConditionFacts("No contact", "supports"),)
ORDERS = (
    cl.OrderFacts("restraining_conviction", "drafted", "Drafted", False, CONSULTED),
    cl.OrderFacts("restraining_acquittal", "drafted", "Drafted", False, CONSULTED),
    cl.OrderFacts("interim_spo", "applied", "Applied for", False),
)
READY = cl.HandoverFacts(
    case_is_stalking=True,
    occasions=5,
    acts=48,
    span_days=40,
    recorded_offences=("pha_1997_s2a",),
    recorded_offence_labels=("Stalking (PHA 1997 s.2A)",),
    stalking_suggested=True,
    stalking_reason_recorded=False,
    risk=RISK,
    impacts=("Changed route or routine",),
    orders=ORDERS,
    bail=(cl.BailFacts(date(2026, 2, 21), True),),
    referrals=(cl.ReferralFacts("National Stalking Helpline", False),),
    preparation=PREP,
)
HARASSMENT = replace(
    READY,
    case_is_stalking=False,
    recorded_offences=("pha_1997_s2",),
    recorded_offence_labels=("Harassment (PHA 1997 s.2)",),
    preparation=replace(PREP, offences=("pha_s2",)),
)


def _status(facts: cl.HandoverFacts) -> dict[str, str]:
    return {item.key: item.status for item in cl.evaluate(facts)}


def _item(facts: cl.HandoverFacts, key: str) -> cl.ChecklistItem:
    return next(item for item in cl.evaluate(facts) if item.key == key)


def test_it_finds_every_item_met_in_a_ready_stalking_file():
    items = cl.evaluate(READY)
    assert [i.key for i in items] == [rule.__name__ for rule in cl.RULES]
    assert {i.status for i in items} == {cl.MET}
    assert cl.blocking_items(items) == [] and cl.missing_items(items) == []
    assert all(i.title and i.protocol_ref and i.detail for i in items)
    # Printed for the CPS and shown to the officer: the law and guidance, never our own documents.
    shown = " ".join(f"{i.title} {i.protocol_ref} {i.detail}" for i in items)
    assert "domain.md" not in shown and "ADR" not in shown and "§8.2" not in shown


@pytest.mark.parametrize(
    ("facts", "key", "status", "detail_has"),
    [
        (replace(READY, occasions=1, acts=40), "course_of_conduct", cl.MISSING, "Only 1 occasion"),
        (replace(READY, occasions=0, acts=0), "course_of_conduct", cl.MISSING, "No incident"),
        (READY, "course_of_conduct", cl.MET, "5 occasions (48 acts) over 40 days"),
        (
            replace(READY, recorded_offences=(), recorded_offence_labels=()),
            "stalking_considered",
            cl.MISSING,
            "No crime",
        ),
        (HARASSMENT, "stalking_considered", cl.MISSING, "no reason it is not stalking"),
        (replace(HARASSMENT, stalking_reason_recorded=True), "stalking_considered", cl.MET, "reason it is not"),
        (replace(HARASSMENT, stalking_suggested=False), "stalking_considered", cl.MET, "does not point to stalking"),
        (READY, "stalking_considered", cl.MET, "Recorded as stalking"),
        (replace(READY, risk=None), "risk_assessment", cl.MISSING, "No completed risk assessment"),
        (replace(READY, risk=replace(RISK, supplementary_asked=False)), "risk_assessment", cl.MISSING, "not asked"),
        (
            replace(READY, risk=replace(RISK, supplementary_unanswered=3)),
            "risk_assessment",
            cl.MISSING,
            "3 stalking questions unanswered",
        ),
        (
            replace(HARASSMENT, risk=replace(RISK, stalking_question_yes=False, supplementary_asked=False)),
            "risk_assessment",
            cl.MET,
            "High risk, completed 20 Feb 2026",
        ),
        (READY, "risk_assessment", cl.MET, "Changed route or routine"),
        (replace(READY, impacts=()), "risk_assessment", cl.MET, "none recorded yet"),
        (replace(READY, risk=replace(RISK, plan_actions=0)), "risk_plan", cl.MISSING, "no plan actions"),
        (replace(READY, risk=None), "risk_plan", cl.MISSING, "No completed risk assessment"),
        (replace(READY, preparation=replace(PREP, suspect_risk=" ")), "suspect_risk", cl.MISSING, "not recorded"),
        (HARASSMENT, "suspect_risk", cl.NOT_APPLICABLE, "Not a stalking case"),
        (replace(READY, orders=ORDERS[1:]), "restraining_orders", cl.MISSING, "No restraining order on conviction"),
        (
            replace(
                READY, orders=(ORDERS[0], replace(ORDERS[1], conditions=(cl.ConditionFacts("x", "not_consulted"),)))
            ),
            "restraining_orders",
            cl.MISSING,
            "not consulted on 1 condition of the order on acquittal",
        ),
        (
            replace(READY, orders=(ORDERS[0], replace(ORDERS[1], conditions=()))),
            "restraining_orders",
            cl.MISSING,
            "has no conditions",
        ),
        (
            replace(READY, orders=(ORDERS[0], replace(ORDERS[1], status="not_pursued", not_pursued_reason=True))),
            "restraining_orders",
            cl.MET,
            "not pursued, reason recorded",
        ),
        (
            replace(READY, orders=(ORDERS[0], replace(ORDERS[1], status="not_pursued", conditions=()))),
            "restraining_orders",
            cl.MISSING,
            "not pursued without a reason",
        ),
        (replace(READY, orders=ORDERS[:2]), "spo_considered", cl.MISSING, "no SPO considered"),
        (
            replace(READY, orders=ORDERS[:2], preparation=replace(PREP, spo_not_sought_reason="No risk after remand")),
            "spo_considered",
            cl.MET,
            "Not sought",
        ),
        (READY, "spo_considered", cl.MET, "Interim SPO: Applied for"),
        (replace(HARASSMENT, orders=ORDERS[:2]), "spo_considered", cl.NOT_APPLICABLE, "Not a stalking case"),
        (replace(READY, bail=()), "bail_views", cl.NOT_APPLICABLE, "not been on bail"),
        (replace(READY, bail=(cl.BailFacts(date(2026, 2, 21), False),)), "bail_views", cl.MISSING, "21 Feb 2026"),
        (replace(READY, preparation=replace(PREP, vps="")), "vps", cl.MISSING, "No VPS"),
        (replace(READY, preparation=replace(PREP, vps_on=None)), "vps", cl.MISSING, "without the date"),
        (replace(READY, preparation=replace(PREP, vps="declined", vps_on=None)), "vps", cl.MISSING, "without the date"),
        (replace(READY, preparation=replace(PREP, vps="declined")), "vps", cl.MET, "declined on 02 Mar 2026"),
        (
            replace(READY, preparation=replace(PREP, special_measures="")),
            "special_measures",
            cl.MISSING,
            "Not assessed",
        ),
        (
            replace(READY, preparation=replace(PREP, special_measures="needed")),
            "special_measures",
            cl.MISSING,
            "not described",
        ),
        (
            replace(READY, preparation=replace(PREP, special_measures_on=None)),
            "special_measures",
            cl.MISSING,
            "without the date",
        ),
        (
            replace(READY, preparation=replace(PREP, special_measures="declined")),
            "special_measures",
            cl.MET,
            "Offered; she declined them on 02 Mar 2026",
        ),
        (replace(READY, referrals=()), "support_referral", cl.MISSING, "No referral"),
        (replace(READY, referrals=(cl.ReferralFacts("IDVA", True),)), "support_referral", cl.MET, "IDVA (declined)"),
        (
            replace(READY, preparation=replace(PREP, interview_summary="")),
            "mg5_summary",
            cl.MISSING,
            "interview summary",
        ),
        (replace(READY, preparation=replace(PREP, offences=())), "offences_proposed", cl.MISSING, "No offence"),
        (replace(READY, preparation=cl.PreparationFacts()), "no_pin", cl.MET, "protective orders are used instead"),
    ],
)
def test_each_item_reports_its_status_with_the_facts(facts, key, status, detail_has):
    item = _item(facts, key)
    assert item.status == status
    assert detail_has in item.detail


def test_a_stalking_offence_proposed_makes_it_a_stalking_case_even_when_recorded_as_harassment():
    facts = replace(HARASSMENT, preparation=replace(PREP, offences=("pha_s4a_fear",), suspect_risk=""))
    assert facts.is_stalking
    assert _item(facts, "suspect_risk").status == cl.MISSING


@pytest.mark.parametrize(
    ("facts", "blocking"),
    [
        (replace(READY, occasions=1), {"course_of_conduct"}),
        (replace(READY, risk=None), {"risk_assessment", "risk_plan"}),
        (replace(READY, orders=ORDERS[2:]), {"restraining_orders"}),
        (replace(READY, preparation=replace(PREP, vps="", headline="")), {"vps", "mg5_summary"}),
        (replace(READY, preparation=replace(PREP, offences=())), {"offences_proposed"}),
        (replace(READY, referrals=(), bail=(cl.BailFacts(date(2026, 1, 1), False),), orders=ORDERS[:2]), set()),
        (replace(READY, referrals=()), set()),
        (replace(READY, preparation=replace(PREP, special_measures="")), {"special_measures"}),
    ],
)
def test_the_inspections_failures_block_the_handover_and_the_rest_do_not(facts, blocking):
    assert {i.key for i in cl.blocking_items(cl.evaluate(facts))} == blocking
    assert set(cl.missing_items(cl.evaluate(facts))) >= set(cl.blocking_items(cl.evaluate(facts)))


def test_every_item_but_the_pin_links_to_where_it_is_fixed():
    from django.urls import reverse

    for item in cl.evaluate(replace(READY, risk=None, preparation=cl.PreparationFacts())):
        if item.key == "no_pin":
            assert item.fix_url_name == ""
        else:
            assert reverse(item.fix_url_name, args=[1])


# ---------------------------------------------------------------- the facts gathered from a real case


def test_a_new_case_misses_what_it_has_not_got(case):
    from protocol.selectors import protocol_checklist

    status = {i.key: i.status for i in protocol_checklist(case)}
    assert status["course_of_conduct"] == cl.MISSING
    assert status["stalking_considered"] == cl.MISSING
    assert status["risk_assessment"] == cl.MISSING
    assert status["suspect_risk"] == cl.NOT_APPLICABLE
    assert status["bail_views"] == cl.NOT_APPLICABLE
    assert status["no_pin"] == cl.MET


def test_a_ready_case_meets_every_item(ready_case):
    from protocol.selectors import protocol_checklist

    items = protocol_checklist(ready_case)
    assert {i.key: i.status for i in items if i.status != cl.MET} == {}
    risk = next(i for i in items if i.key == "risk_assessment")
    assert "High risk" in risk.detail and "Changed route or routine" in risk.detail


def test_it_reads_the_unconsulted_condition_and_the_missing_bail_views(ready_case):
    from orders.models import Condition, SuspectRoute
    from protocol.selectors import protocol_checklist

    Condition.objects.filter(order__case=ready_case).update(consultation="not_consulted")
    SuspectRoute.objects.filter(case=ready_case).update(victim_views="")
    status = {i.key: i.status for i in protocol_checklist(ready_case)}
    assert status["restraining_orders"] == cl.MISSING and status["bail_views"] == cl.MISSING


def test_harassment_recorded_while_the_aid_points_to_stalking_is_missing_until_reviewed(ready_case, officer):
    from casework.models import Case
    from protocol.selectors import protocol_checklist
    from recording.models import CrimeRecord, RecordingReview

    CrimeRecord.objects.filter(case=ready_case).update(offence="pha_1997_s2", classification="8L")
    Case.objects.filter(pk=ready_case.pk).update(is_stalking=False, is_harassment=True)
    ready_case.refresh_from_db()
    assert next(i for i in protocol_checklist(ready_case) if i.key == "stalking_considered").status == cl.MISSING
    RecordingReview.objects.create(
        case=ready_case,
        decision="not_stalking",
        reason="No fixation",
        indication_strength=3,
        decided_by=officer,
        decided_at=timezone.now(),
    )
    assert next(i for i in protocol_checklist(ready_case) if i.key == "stalking_considered").status == cl.MET


def test_a_stalking_case_with_unanswered_stalking_questions_is_missing_the_risk_item(ready_case):
    from protocol.selectors import protocol_checklist
    from risk.models import RiskAssessment

    assessment = RiskAssessment.objects.get(case=ready_case)
    assessment.answers = {k: v for k, v in assessment.answers.items() if not k.startswith("sh_")}
    assessment.save(update_fields=["answers"])
    risk = next(i for i in protocol_checklist(ready_case) if i.key == "risk_assessment")
    assert risk.status == cl.MISSING and "stalking questions unanswered" in risk.detail


def test_the_checklist_takes_the_same_number_of_queries_however_much_the_case_holds(officer, risk_forms):
    from casework.summaries import summaries_refresh
    from casework.tests.factories import CaseFactory, IncidentFactory
    from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory
    from protocol.selectors import protocol_checklist

    small = CaseFactory(unit=officer.unit, officer=officer)
    make_ready(small, incidents=2)
    large = CaseFactory(unit=officer.unit, officer=officer)
    make_ready(large, incidents=20)
    for _ in range(5):
        order = ProtectiveOrderFactory(case=large, order_type="restraining_conviction")
        ConditionFactory(order=order)
        ConditionFactory(order=order)
        IncidentFactory(case=large)
    counts = []
    for case in (small, large):
        summaries_refresh(case.pk)  # as the refresher does after every change: the conduct is stored
        with CaptureQueriesContext(connection) as captured:
            protocol_checklist(case)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert counts[0] <= 13


# ---------------------------------------------------------------- the restraining-order decision at charge


def _restraining(facts: cl.HandoverFacts) -> cl.ChecklistItem:
    return next(i for i in cl.evaluate(facts) if i.key == "restraining_orders")


def test_a_decision_at_charge_not_to_seek_one_answers_the_item_without_drafted_orders():
    without_orders = replace(READY, orders=ORDERS[2:])
    assert _restraining(without_orders).status == cl.MISSING
    decided = replace(without_orders, restraining_decisions=(cl.RestrainingDecisionFacts("charge", False),))
    item = _restraining(decided)
    assert item.status == cl.MET
    assert (
        item.detail
        == "On conviction: not sought at charge, reason recorded; on acquittal: not sought at charge, reason recorded"
    )


def test_a_decision_at_charge_to_seek_one_is_named_and_the_orders_still_need_consultation():
    sought = replace(READY, restraining_decisions=(cl.RestrainingDecisionFacts("charge", True),))
    assert _restraining(sought).detail.endswith("decided at charge: sought")
    unconsulted = (
        cl.OrderFacts(
            "restraining_conviction", "drafted", "Drafted", False, (cl.ConditionFacts("x", "not_consulted"),)
        ),
    )
    assert _restraining(replace(sought, orders=unconsulted)).status == cl.MISSING
