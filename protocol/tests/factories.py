"""Test data for the handover: a case meeting the whole protocol checklist, and charging requests as
sending them leaves them (with the grant), for tests across the apps and the browser journeys."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.policy import Action
from casework.services.cases import case_access_grant
from protocol import choices as c
from protocol.models import ActionItem, Handover
from protocol.services import cps


def make_ready(case, *, officer=None, incidents: int = 3):
    """Give the case everything the protocol asks for (a stalking case); returns (victim, suspect)."""
    from casework.choices import Channel, Impact, ReferralOutcome, SupportService
    from casework.models import Case, SupportReferral
    from casework.tests.factories import IncidentFactory
    from orders.choices import OrderType, Route
    from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory, SuspectRouteFactory, parties
    from protocol.models import HandoverPreparation
    from recording.models import CrimeRecord
    from risk.models import RiskAssessment, RiskForm, RiskPlanAction

    officer = officer or case.officer
    victim, suspect = parties(case, relationship="ex_partner")
    start = timezone.now() - timedelta(days=40)
    for n in range(incidents):
        IncidentFactory(
            case=case,
            victim=victim,
            occurred_at=start + timedelta(days=10 * n),
            channel=Channel.TEXT,
            count=12,
            behaviours=["following"] if n == 0 else [],
            impacts=[Impact.CHANGED_ROUTE] if n == 1 else [],
        )
    CrimeRecord.objects.create(
        case=case,
        crime_number=f"{case.reference}/C1",
        classification="8Q",
        offence="pha_1997_s2a",
        rationale="Fixated, obsessive, unwanted, repeated contact; he followed her.",
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    Case.objects.filter(pk=case.pk).update(is_stalking=True)
    case.refresh_from_db()
    forms = list(RiskForm.objects.filter(kind__in=["dash", "stalking_supplementary"]))
    answers = {}
    for form in forms:
        for question in form.definition["questions"]:
            answers[question["key"]] = {"answer": "yes", "details": ""}
    assessment = RiskAssessment.objects.create(
        case=case,
        victim=victim,
        status="completed",
        answers=answers,
        yes_count=len(answers),
        grade="high",
        actuarial_grade="high",
        assessor=officer,
        completed_at=timezone.now() - timedelta(days=2),
    )
    assessment.forms.set(forms)
    RiskPlanAction.objects.create(
        assessment=assessment, risk="Following", action="Fit a panic alarm", owner="PC Shah", due_on=date.today()
    )
    for order_type in (OrderType.RESTRAINING_ORDER_CONVICTION, OrderType.RESTRAINING_ORDER_ACQUITTAL):
        order = ProtectiveOrderFactory(case=case, order_type=order_type, respondent=suspect, protected_people=[victim])
        ConditionFactory(order=order, protected_people=[victim])
    ProtectiveOrderFactory(case=case, order_type=OrderType.INTERIM_SPO, respondent=suspect, protected_people=[victim])
    SuspectRouteFactory(case=case, suspect=suspect, bail=True, route=Route.PRE_CHARGE_BAIL, victim_views="Wants none")
    SupportReferral.objects.create(
        case=case,
        victim=victim,
        service=SupportService.NATIONAL_STALKING_HELPLINE,
        outcome=ReferralOutcome.REFERRED,
        referred_on=date.today(),
        recorded_by=officer,
    )
    HandoverPreparation.objects.update_or_create(
        case=case,
        defaults={
            "offences": ["pha_s2a"],
            "headline": "He stalked his ex-partner for 40 days.",
            "key_witnesses": "Her sister saw him outside.",
            "interview_summary": "No comment.",
            "vps": "offered_later",
            "vps_on": date.today(),
            "special_measures": "not_needed",
            "special_measures_on": date.today(),
            "suspect_risk": "Fixated on her; managed by bail conditions.",
            "updated_by": officer,
        },
    )
    return victim, suspect


def handover_to(case, lawyer, *, by=None, priority=c.Priority.GREEN, sent_at=None, **fields) -> Handover:
    """A charging request sent to `lawyer`, with the grant the sending gives (as handover_send does)."""
    by = by or case.officer
    case_access_grant(actor=by, case=case, grantee=lawyer, action=Action.VIEW_HANDOVER)
    return Handover.objects.create(
        case=case, lawyer=lawyer, priority=priority, sent_by=by, sent_at=sent_at or timezone.now(), **fields
    )


def raise_action(handover, *, due_in_days: int = 7, request: str = "Obtain the CCTV from the station") -> ActionItem:
    due_on = timezone.localdate() + timedelta(days=due_in_days)
    return cps.action_raise(actor=handover.lawyer, handover=handover, request=request, due_on=due_on)


def charge(handover, **overrides) -> Handover:
    fields = {
        "decision": c.Decision.CHARGE,
        "code_test": c.CodeTest.FULL_CODE,
        "offences_charged": [c.Offence.PHA_S4A_DISTRESS],
        "rationale": "Evidential stage met on the messages and the victim's account; public interest clear.",
    }
    return cps.handover_decide(actor=handover.lawyer, handover=handover, **(fields | overrides))


def restraining_order_of(case, order_type: str = "restraining_conviction"):
    """The case's restraining order of that type with its conditions (as make_ready leaves it)."""
    return case.orders.get(order_type=order_type)


def charged_by_cps(case, lawyer, *, officer=None) -> Handover:
    """The CPS decided to charge on a request sent to `lawyer`; the case awaits the charge."""
    from casework.models import Case

    Case.objects.filter(pk=case.pk).update(stage="charging_advice_requested")
    case.refresh_from_db()
    return charge(handover_to(case, lawyer, by=officer))
