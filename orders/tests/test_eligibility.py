"""Which orders the law offers at this stage (orders/eligibility.py), and the facts the selector reads."""

from dataclasses import replace

import pytest

from casework.choices import Behaviour, CaseStage, PartyRole, Relationship
from casework.tests.factories import IncidentFactory
from orders.choices import OrderStatus, OrderType
from orders.eligibility import CaseFacts, order_hints
from orders.selectors import case_protection_facts
from orders.tests.factories import CasePartyFactory, ProtectiveOrderFactory

NOTHING = CaseFacts(
    stage=CaseStage.UNDER_INVESTIGATION,
    domestic_abuse=False,
    stalking=False,
    harassment=False,
    risk_grade=None,
    regime="dvpn",
)
CHARGED = replace(NOTHING, stage=CaseStage.CHARGED)


def types(facts: CaseFacts) -> list:
    return [hint.order_type for hint in order_hints(facts)]


def hint(facts: CaseFacts, order_type):
    return next(h for h in order_hints(facts) if h.order_type == order_type)


# --- Pure hints -------------------------------------------------------------------------------------


def test_stalking_offers_an_interim_spo_and_the_full_order():
    found = types(replace(NOTHING, stalking=True))
    assert OrderType.INTERIM_SPO in found and OrderType.SPO in found


def test_high_risk_stalking_says_apply_for_the_interim_order_now():
    high = hint(replace(NOTHING, stalking=True, risk_grade="high"), OrderType.INTERIM_SPO)
    medium = hint(replace(NOTHING, stalking=True, risk_grade="medium"), OrderType.INTERIM_SPO)
    assert "apply for an interim order now" in high.why
    assert "now" not in medium.why


def test_domestic_abuse_in_a_dvpn_unit_offers_a_dvpn():
    found = types(replace(NOTHING, domestic_abuse=True, regime="dvpn"))
    assert OrderType.DVPN in found and OrderType.DAPN not in found


def test_domestic_abuse_in_a_dapn_unit_offers_a_dapn():
    found = types(replace(NOTHING, domestic_abuse=True, regime="dapn"))
    assert OrderType.DAPN in found and OrderType.DVPN not in found


def test_domestic_abuse_also_points_to_a_non_molestation_order():
    assert OrderType.NON_MOLESTATION in types(replace(NOTHING, domestic_abuse=True))


def test_harassment_without_stalking_or_domestic_abuse_before_charge_shows_the_gap():
    gap = [h for h in order_hints(replace(NOTHING, harassment=True)) if h.order_type is None]
    assert len(gap) == 1
    assert gap[0].title == "No protective order before charge"
    assert "Bail conditions after arrest are the only protection" in gap[0].why


@pytest.mark.parametrize("other", [{"stalking": True}, {"domestic_abuse": True}, {"stage": CaseStage.CHARGED}])
def test_there_is_no_gap_with_stalking_domestic_abuse_or_after_charge(other):
    assert None not in types(replace(NOTHING, harassment=True, **other))


@pytest.mark.parametrize("stage", [CaseStage.CHARGED, CaseStage.AT_COURT])
def test_restraining_orders_on_conviction_and_acquittal_are_offered_at_charge(stage):
    found = types(replace(CHARGED, stage=stage))
    assert OrderType.RESTRAINING_ORDER_CONVICTION in found and OrderType.RESTRAINING_ORDER_ACQUITTAL in found


@pytest.mark.parametrize("stage", [CaseStage.NO_FURTHER_ACTION, CaseStage.OUT_OF_COURT, CaseStage.FINALISED])
def test_a_closed_case_gets_no_hints(stage):
    assert order_hints(replace(NOTHING, stage=stage, stalking=True, domestic_abuse=True, harassment=True)) == []


def test_types_already_active_are_marked_already():
    facts = replace(
        CHARGED,
        stalking=True,
        domestic_abuse=True,
        active_types=frozenset({OrderType.INTERIM_SPO, OrderType.NON_MOLESTATION}),
    )
    already = {h.order_type for h in order_hints(facts) if h.already}
    assert already == {OrderType.INTERIM_SPO, OrderType.NON_MOLESTATION}


def test_every_hint_says_why():
    facts = replace(CHARGED, stalking=True, domestic_abuse=True, harassment=True, risk_grade="high")
    assert all(h.title and h.why for h in order_hints(facts))


# --- The facts, from the database -------------------------------------------------------------------


def test_the_facts_read_the_flags_stage_and_unit_regime(case):
    case.is_harassment, case.stage = True, CaseStage.CHARGED
    case.save()
    case.unit.protection_notice_regime = "dapn"
    case.unit.save()
    facts = case_protection_facts(case)
    assert (facts.stage, facts.harassment, facts.regime, facts.risk_grade) == ("charged", True, "dapn", None)
    assert not facts.stalking and not facts.domestic_abuse


def test_stalking_behaviour_in_an_incident_counts_as_stalking(case):
    IncidentFactory(case=case, behaviours=[Behaviour.FOLLOWING])
    assert case_protection_facts(case).stalking


def test_an_incident_without_stalking_behaviour_does_not(case):
    IncidentFactory(case=case, behaviours=[])
    assert not case_protection_facts(case).stalking


def test_a_victim_who_is_his_ex_partner_makes_it_domestic_abuse(case):
    CasePartyFactory(case=case, role=PartyRole.VICTIM, relationship_to_suspect=Relationship.EX_PARTNER)
    assert case_protection_facts(case).domestic_abuse


def test_a_neighbour_does_not(case):
    CasePartyFactory(case=case, role=PartyRole.VICTIM, relationship_to_suspect=Relationship.NEIGHBOUR)
    assert not case_protection_facts(case).domestic_abuse


def test_active_types_leave_out_orders_that_ended_or_were_refused(case):
    ProtectiveOrderFactory(case=case, order_type=OrderType.INTERIM_SPO, status=OrderStatus.IN_FORCE)
    ProtectiveOrderFactory(case=case, order_type=OrderType.SPO, status=OrderStatus.DRAFTED)
    for status in (OrderStatus.REFUSED, OrderStatus.NOT_PURSUED, OrderStatus.DISCHARGED, OrderStatus.EXPIRED):
        ProtectiveOrderFactory(case=case, order_type=OrderType.DVPN, status=status)
    assert case_protection_facts(case).active_types == {OrderType.INTERIM_SPO, OrderType.SPO}
