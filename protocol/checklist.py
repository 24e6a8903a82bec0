"""The national stalking protocol checklist (domain.md §8.2, §12 item 12): what the file must show before
it goes to the CPS, each item met, missing or not applicable, with the facts behind it.

A pure rule engine over plain data (house style): `protocol.selectors.protocol_checklist(case)` gathers
`HandoverFacts` from every app and calls `evaluate`. Items that the 2017 inspection found missing from
files (risk, restraining-order consultation, MG5, offences, VPS, special measures, the course of conduct) block
the handover: only a supervisor may send a file without them, and must say why. The VPS and special measures
each need the decision and its date (offered, given or declined).

Changes to the victim's behaviour (protocol 2018 §3): the DASH in use has no question on them (its own
source note says so), so they are folded into the risk assessment item, which reports the effects on her
life recorded on the incidents.

There is no Police Information Notice item to fill in: the system cannot issue one (ADR 0003), so the
item is always met and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from orders.choices import ConsultationOutcome, OrderStatus, OrderType
from protocol.choices import Offence
from recording.choices import Offence as RecordedOffence

MET = "met"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"

# Where each item is put right (URL names taking case_id).
FIX_PREPARATION = "protocol:case-handover"
FIX_INCIDENTS = "casework:incident-create"
FIX_RECORDING = "recording:case-records"
FIX_RISK = "risk:case-risk"
FIX_ORDERS = "orders:case-protection"
FIX_BAIL = "orders:case-routes"
FIX_SUPPORT = "casework:referral-create"

STALKING_PROPOSALS = frozenset({Offence.PHA_S2A, Offence.PHA_S4A_FEAR, Offence.PHA_S4A_DISTRESS})
RECORDED_STALKING = frozenset(
    {RecordedOffence.PHA_S2A, RecordedOffence.PHA_S4A, RecordedOffence.RA_STALKING, RecordedOffence.RA_STALKING_FEAR}
)
RECORDED_HARASSMENT = frozenset(
    {RecordedOffence.PHA_S2, RecordedOffence.PHA_S4, RecordedOffence.RA_HARASSMENT, RecordedOffence.RA_FEAR_OF_VIOLENCE}
)
RESTRAINING_CONVICTION = OrderType.RESTRAINING_ORDER_CONVICTION
RESTRAINING_ACQUITTAL = OrderType.RESTRAINING_ORDER_ACQUITTAL
NOT_PURSUED = OrderStatus.NOT_PURSUED
NOT_CONSULTED = ConsultationOutcome.NOT_CONSULTED


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    protocol_ref: str
    status: str
    detail: str
    blocks_handover: bool
    fix_url_name: str

    @property
    def is_missing(self) -> bool:
        return self.status == MISSING

    @property
    def blocks(self) -> bool:
        """Missing and blocking: the handover needs a supervisor's override."""
        return self.status == MISSING and self.blocks_handover


@dataclass(frozen=True)
class RiskFacts:
    """The latest completed (or signed-off) risk assessment."""

    completed_on: date
    grade: str  # its display label, e.g. "High"
    stalking_question_yes: bool  # a DASH question that calls for the stalking questions was answered yes
    supplementary_asked: bool  # the stalking supplementary questions were part of the assessment
    supplementary_unanswered: int
    plan_actions: int


@dataclass(frozen=True)
class ConditionFacts:
    wording: str
    consultation: str  # orders ConsultationOutcome value


@dataclass(frozen=True)
class OrderFacts:
    order_type: str  # orders OrderType value
    status: str  # orders OrderStatus value
    status_label: str
    not_pursued_reason: bool
    conditions: tuple[ConditionFacts, ...] = ()


@dataclass(frozen=True)
class RestrainingDecisionFacts:
    """The latest restraining-order decision at one moment (orders.RestrainingOrderDecision)."""

    moment: str  # orders RestrainingMoment value: charge, conviction, acquittal
    sought: bool


@dataclass(frozen=True)
class BailFacts:
    occurred_on: date
    victim_views: bool


@dataclass(frozen=True)
class ReferralFacts:
    service: str  # its display label
    declined: bool


@dataclass(frozen=True)
class PreparationFacts:
    """The officer's preparation (protocol.models.HandoverPreparation); empty when none is saved yet."""

    offences: tuple[str, ...] = ()
    offence_labels: tuple[str, ...] = ()
    headline: str = ""
    key_witnesses: str = ""
    interview_summary: str = ""
    vps: str = ""
    vps_on: date | None = None
    vps_summary: str = ""
    special_measures: str = ""
    special_measures_detail: str = ""
    special_measures_on: date | None = None
    suspect_risk: str = ""
    spo_not_sought_reason: str = ""


@dataclass(frozen=True)
class HandoverFacts:
    case_is_stalking: bool  # the case's stalking flag (a stalking crime is recorded)
    occasions: int  # incident records: each is one occasion (recording.advice)
    acts: int  # the sum of the incidents' counts
    span_days: int
    recorded_offences: tuple[str, ...]  # recording Offence values of the case's crime records
    recorded_offence_labels: tuple[str, ...]
    stalking_suggested: bool  # the stalking identification aid points to stalking on these incidents
    stalking_reason_recorded: bool  # a recorded answer: kept despite the warning, reviewed, or reclassified
    risk: RiskFacts | None
    impacts: tuple[str, ...]  # labels of the effects on her life recorded on the incidents
    orders: tuple[OrderFacts, ...]
    bail: tuple[BailFacts, ...]
    referrals: tuple[ReferralFacts, ...]
    preparation: PreparationFacts = field(default_factory=PreparationFacts)
    restraining_decisions: tuple[RestrainingDecisionFacts, ...] = ()

    @property
    def is_stalking(self) -> bool:
        """A stalking case: recorded as stalking, or a stalking offence proposed to the CPS."""
        return self.case_is_stalking or bool(set(self.preparation.offences) & STALKING_PROPOSALS)


def _item(key: str, title: str, ref: str, status: str, detail: str, blocks: bool, fix: str) -> ChecklistItem:
    return ChecklistItem(
        key=key, title=title, protocol_ref=ref, status=status, detail=detail, blocks_handover=blocks, fix_url_name=fix
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def course_of_conduct(f: HandoverFacts) -> ChecklistItem:
    title = "Show the course of conduct: at least two occasions"
    ref = "PHA 1997 s.7(3); Protocol 2018 §3"
    if f.occasions >= 2:
        detail = f"{_plural(f.occasions, 'occasion')} ({_plural(f.acts, 'act')}) over {_plural(f.span_days, 'day')}"
        return _item("course_of_conduct", title, ref, MET, detail, True, FIX_INCIDENTS)
    detail = (
        f"Only {_plural(f.occasions, 'occasion')} is recorded: harassment and stalking need conduct on at least two"
        if f.occasions
        else "No incident is recorded in the case"
    )
    return _item("course_of_conduct", title, ref, MISSING, detail, True, FIX_INCIDENTS)


def stalking_considered(f: HandoverFacts) -> ChecklistItem:
    title = "Record the crime, and consider whether harassment is stalking"
    ref = "Protocol 2018 §3"
    recorded = set(f.recorded_offences)
    labels = ", ".join(f.recorded_offence_labels)
    if not recorded:
        return _item(
            "stalking_considered", title, ref, MISSING, "No crime is recorded in the case", False, FIX_RECORDING
        )
    if recorded & RECORDED_STALKING:
        return _item("stalking_considered", title, ref, MET, f"Recorded as stalking: {labels}", False, FIX_RECORDING)
    if not f.stalking_suggested:
        detail = f"Recorded as {labels}; the stalking identification aid does not point to stalking"
        return _item("stalking_considered", title, ref, MET, detail, False, FIX_RECORDING)
    if f.stalking_reason_recorded:
        detail = f"Recorded as {labels}; the aid points to stalking and the reason it is not stalking is recorded"
        return _item("stalking_considered", title, ref, MET, detail, False, FIX_RECORDING)
    detail = (
        f"Recorded as {labels} while the stalking identification aid points to stalking, and no reason it is "
        "not stalking is recorded: reclassify it or record why"
    )
    return _item("stalking_considered", title, ref, MISSING, detail, False, FIX_RECORDING)


def _impacts_note(f: HandoverFacts) -> str:
    if f.impacts:
        found = ", ".join(f.impacts)
    else:
        found = "none recorded yet"
    return (
        " Changes to her behaviour: the DASH has no question on them, so ask her and record them on the "
        f"incidents (effects on her life: {found})."
    )


def risk_assessment(f: HandoverFacts) -> ChecklistItem:
    title = "Assess the victim's risk (DASH with the stalking questions) and ask about changes to her behaviour"
    ref = "Protocol 2018 §3"
    note = _impacts_note(f)
    r = f.risk
    if r is None:
        return _item("risk_assessment", title, ref, MISSING, "No completed risk assessment." + note, True, FIX_RISK)
    done = f"{r.grade} risk, completed {r.completed_on:%d %b %Y}"
    needs_supplementary = r.stalking_question_yes or f.is_stalking
    if needs_supplementary and not r.supplementary_asked:
        why = "the stalking question was answered yes" if r.stalking_question_yes else "this is a stalking case"
        detail = f"{done}, but the stalking questions were not asked although {why}." + note
        return _item("risk_assessment", title, ref, MISSING, detail, True, FIX_RISK)
    if needs_supplementary and r.supplementary_unanswered:
        detail = f"{done}, but {_plural(r.supplementary_unanswered, 'stalking question')} unanswered." + note
        return _item("risk_assessment", title, ref, MISSING, detail, True, FIX_RISK)
    with_questions = ", with the stalking questions" if r.supplementary_asked else ""
    return _item("risk_assessment", title, ref, MET, f"{done}{with_questions}." + note, True, FIX_RISK)


def risk_plan(f: HandoverFacts) -> ChecklistItem:
    title = "Put a risk management plan in place"
    ref = "Protocol 2018 §3"
    if f.risk is None:
        return _item("risk_plan", title, ref, MISSING, "No completed risk assessment to plan from", True, FIX_RISK)
    if f.risk.plan_actions:
        detail = f"{_plural(f.risk.plan_actions, 'action')} in the plan of the latest assessment"
        return _item("risk_plan", title, ref, MET, detail, True, FIX_RISK)
    return _item("risk_plan", title, ref, MISSING, "The latest assessment has no plan actions", True, FIX_RISK)


def suspect_risk(f: HandoverFacts) -> ChecklistItem:
    title = "Record the risk the suspect poses and how it is managed"
    ref = "Protocol 2018 §3"
    if not f.is_stalking:
        return _item("suspect_risk", title, ref, NOT_APPLICABLE, "Not a stalking case", False, FIX_PREPARATION)
    if f.preparation.suspect_risk.strip():
        return _item("suspect_risk", title, ref, MET, "Recorded in the MG6 part", True, FIX_PREPARATION)
    return _item(
        "suspect_risk", title, ref, MISSING, "Stalking case: the suspect's risk is not recorded", True, FIX_PREPARATION
    )


def restraining_orders(f: HandoverFacts) -> ChecklistItem:
    title = "Consider restraining orders on conviction and on acquittal, and consult the victim on each condition"
    ref = "Protocol 2018 §9; PHA 1997 s.5, s.5A"
    problems: list[str] = []
    found: list[str] = []
    at_charge = next((d for d in f.restraining_decisions if d.moment == "charge"), None)
    for order_type, name in ((RESTRAINING_CONVICTION, "on conviction"), (RESTRAINING_ACQUITTAL, "on acquittal")):
        orders = [o for o in f.orders if o.order_type == order_type]
        if not orders and at_charge is not None and not at_charge.sought:
            found.append(f"{name}: not sought at charge, reason recorded")
            continue
        if not orders:
            problems.append(f"no restraining order {name} considered")
            continue
        for order in orders:
            if order.status == NOT_PURSUED:
                if order.not_pursued_reason:
                    found.append(f"{name}: not pursued, reason recorded")
                else:
                    problems.append(f"the order {name} is not pursued without a reason")
                continue
            if not order.conditions:
                problems.append(f"the order {name} has no conditions")
                continue
            unconsulted = [c for c in order.conditions if c.consultation == NOT_CONSULTED]
            if unconsulted:
                problems.append(
                    f"the victim is not consulted on {_plural(len(unconsulted), 'condition')} of the order {name}"
                )
            else:
                found.append(f"{name}: {order.status_label.lower()}, victim consulted on {len(order.conditions)}")
    if at_charge is not None and at_charge.sought:
        found.append("decided at charge: sought")
    if problems:
        detail = _sentence("; ".join(problems))
        return _item("restraining_orders", title, ref, MISSING, detail, True, FIX_ORDERS)
    return _item("restraining_orders", title, ref, MET, _sentence("; ".join(found)), True, FIX_ORDERS)


def spo_considered(f: HandoverFacts) -> ChecklistItem:
    title = "Consider a Stalking Protection Order"
    ref = "Stalking Protection Act 2019"
    if not f.is_stalking:
        return _item("spo_considered", title, ref, NOT_APPLICABLE, "Not a stalking case", False, FIX_ORDERS)
    spos = [o for o in f.orders if o.order_type in ("spo", "interim_spo")]
    if spos:
        detail = "; ".join(
            f"{'Interim SPO' if o.order_type == 'interim_spo' else 'SPO'}: {o.status_label}" for o in spos
        )
        return _item("spo_considered", title, ref, MET, detail, False, FIX_ORDERS)
    if f.preparation.spo_not_sought_reason.strip():
        return _item("spo_considered", title, ref, MET, "Not sought; the reason is recorded", False, FIX_PREPARATION)
    detail = "Stalking case with no SPO considered and no reason recorded for not seeking one"
    return _item("spo_considered", title, ref, MISSING, detail, False, FIX_ORDERS)


def bail_views(f: HandoverFacts) -> ChecklistItem:
    title = "Record the victim's views on bail and bail conditions"
    ref = "PCSC Act 2022; CPS S&H guidance"
    if not f.bail:
        return _item("bail_views", title, ref, NOT_APPLICABLE, "The suspect has not been on bail", False, FIX_BAIL)
    without = [b for b in f.bail if not b.victim_views]
    if without:
        dates = ", ".join(f"{b.occurred_on:%d %b %Y}" for b in without)
        detail = f"Her views are not recorded for the bail of {dates}"
        return _item("bail_views", title, ref, MISSING, detail, False, FIX_BAIL)
    return _item("bail_views", title, ref, MET, f"Recorded for {_plural(len(f.bail), 'bail')}", False, FIX_BAIL)


def vps(f: HandoverFacts) -> ChecklistItem:
    title = "Take a Victim Personal Statement, or offer one"
    ref = "Victims' Code"
    p = f.preparation
    if not p.vps:
        return _item("vps", title, ref, MISSING, "No VPS taken and no offer recorded", True, FIX_PREPARATION)
    if p.vps_on is None:
        detail = "Recorded without the date she was offered the statement, gave it or declined it"
        return _item("vps", title, ref, MISSING, detail, True, FIX_PREPARATION)
    if p.vps == "taken" and not p.vps_summary.strip():
        detail = "Recorded as taken, but without the date or the summary of its effect on her"
        return _item("vps", title, ref, MISSING, detail, True, FIX_PREPARATION)
    labels = {"taken": "Taken", "offered_later": "Offered; she will give it later", "declined": "Offered and declined"}
    detail = labels.get(p.vps, p.vps) + (f" on {p.vps_on:%d %b %Y}" if p.vps_on else "")
    return _item("vps", title, ref, MET, detail, True, FIX_PREPARATION)


def special_measures(f: HandoverFacts) -> ChecklistItem:
    title = "Assess special measures for the victim (MG2)"
    ref = "YJCEA 1999"
    p = f.preparation
    if not p.special_measures:
        return _item("special_measures", title, ref, MISSING, "Not assessed", True, FIX_PREPARATION)
    if p.special_measures_on is None:
        detail = "Recorded without the date they were assessed with her"
        return _item("special_measures", title, ref, MISSING, detail, True, FIX_PREPARATION)
    if p.special_measures == "needed" and not p.special_measures_detail.strip():
        detail = "Measures are needed but the measures sought are not described"
        return _item("special_measures", title, ref, MISSING, detail, True, FIX_PREPARATION)
    labels = {"needed": "Assessed: measures sought", "declined": "Offered; she declined them"}
    detail = f"{labels.get(p.special_measures, 'Assessed: none needed')} on {p.special_measures_on:%d %b %Y}"
    return _item("special_measures", title, ref, MET, detail, True, FIX_PREPARATION)


def support_referral(f: HandoverFacts) -> ChecklistItem:
    title = "Refer the victim to specialist support, or record that she declined"
    ref = "Protocol 2018 §6"
    if not f.referrals:
        return _item("support_referral", title, ref, MISSING, "No referral or refusal recorded", False, FIX_SUPPORT)
    parts = [f"{r.service} ({'declined' if r.declined else 'referred'})" for r in f.referrals]
    return _item("support_referral", title, ref, MET, "; ".join(parts), False, FIX_SUPPORT)


def mg5_summary(f: HandoverFacts) -> ChecklistItem:
    title = "Write the MG5 case summary: headline, key witnesses, interview"
    ref = "Manual of Guidance MG5"
    p = f.preparation
    parts = (("headline", p.headline), ("key witnesses", p.key_witnesses), ("interview summary", p.interview_summary))
    missing = [name for name, text in parts if not text.strip()]
    if missing:
        return _item("mg5_summary", title, ref, MISSING, f"Not written: {', '.join(missing)}", True, FIX_PREPARATION)
    return _item("mg5_summary", title, ref, MET, "Headline, key witnesses and interview written", True, FIX_PREPARATION)


def offences_proposed(f: HandoverFacts) -> ChecklistItem:
    title = "Propose the offences to charge"
    ref = "DG6 (MG3)"
    if not f.preparation.offences:
        return _item("offences_proposed", title, ref, MISSING, "No offence proposed", True, FIX_PREPARATION)
    labels = ", ".join(f.preparation.offence_labels or f.preparation.offences)
    return _item("offences_proposed", title, ref, MET, labels, True, FIX_PREPARATION)


def no_pin(f: HandoverFacts) -> ChecklistItem:
    return _item(
        "no_pin",
        "Never use a Police Information Notice",
        "NPCC release 2018",
        MET,
        "The system cannot issue a Police Information Notice; protective orders are used instead",
        False,
        "",
    )


RULES = (
    course_of_conduct,
    stalking_considered,
    risk_assessment,
    risk_plan,
    suspect_risk,
    restraining_orders,
    spo_considered,
    bail_views,
    vps,
    special_measures,
    support_referral,
    mg5_summary,
    offences_proposed,
    no_pin,
)


def evaluate(facts: HandoverFacts) -> list[ChecklistItem]:
    """Every protocol item for the case, in the order the officer works through them."""
    return [rule(facts) for rule in RULES]


def missing_items(items: list[ChecklistItem]) -> list[ChecklistItem]:
    return [i for i in items if i.status == MISSING]


def blocking_items(items: list[ChecklistItem]) -> list[ChecklistItem]:
    return [i for i in items if i.blocks]
