"""Reads for the handover: the protocol checklist of a case (facts gathered from every app in a fixed
number of queries), the officer's preparation and the charging requests sent.

Callers check access first (policy.access_case) and record the read (audit.consulted)."""

from __future__ import annotations

from django.db.models import Case as Cases
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import dateformat, timezone

from accounts import policy
from accounts.choices import Role
from accounts.models import User
from casework.choices import Impact, ReferralOutcome, TimelineKind
from casework.models import Case, SupportReferral, TimelineEvent
from orders.choices import BAIL_ROUTES, OrderType
from orders.models import Condition, ProtectiveOrder, SuspectRoute
from orders.restraining_orders import latest_decisions
from protocol import checklist as cl
from protocol import choices as c
from protocol.choices import Offence as ProposedOffence
from protocol.models import ActionItem, Handover, HandoverPreparation, PleaDecision
from recording.choices import Offence as RecordedOffence
from recording.models import CrimeRecord, Reclassification, RecordingReview
from recording.selectors import stored_advice
from risk.choices import AssessmentStatus, Grade
from risk.models import RiskAssessment
from risk.questionnaires import (
    KIND_DASH,
    KIND_STALKING_SUPPLEMENTARY,
    TRIGGER_STALKING_SUPPLEMENTARY,
    FormDefinition,
    parse_form,
)

RESTRAINING_AND_SPO = (
    OrderType.RESTRAINING_ORDER_CONVICTION,
    OrderType.RESTRAINING_ORDER_ACQUITTAL,
    OrderType.SPO,
    OrderType.INTERIM_SPO,
)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def preparation_of(case: Case) -> HandoverPreparation | None:
    return HandoverPreparation.objects.filter(case=case).first()


def preparation_facts(prep: HandoverPreparation | None) -> cl.PreparationFacts:
    if prep is None:
        return cl.PreparationFacts()
    offences = tuple(prep.offences or ())
    return cl.PreparationFacts(
        offences=offences,
        offence_labels=tuple(_label(ProposedOffence, o) for o in offences),
        headline=prep.headline,
        key_witnesses=prep.key_witnesses,
        interview_summary=prep.interview_summary,
        vps=prep.vps,
        vps_on=prep.vps_on,
        vps_summary=prep.vps_summary,
        special_measures=prep.special_measures,
        special_measures_detail=prep.special_measures_detail,
        special_measures_on=prep.special_measures_on,
        suspect_risk=prep.suspect_risk,
        spo_not_sought_reason=prep.spo_not_sought_reason,
    )


def _conduct(case: Case) -> tuple[int, int, int, bool, tuple[str, ...]]:
    """Occasions, acts, span and whether the aid points to stalking, on the principal victim's incidents
    (as the recording aid reads them), and the effects on her life recorded on any incident: from the
    stored advice (recording.selectors.stored_advice), so the case page's panel does not read every incident."""
    advice = stored_advice(case)
    impacts = set(advice["impacts"])
    impact_labels = tuple(str(label) for value, label in Impact.choices if value in impacts)
    return advice["occasions"], advice["contacts"], advice["span_days"], advice["stalking_suggested"], impact_labels


def _forms(assessment: RiskAssessment) -> dict[str, FormDefinition]:
    return {form.kind: parse_form(form.definition, source=str(form)) for form in assessment.forms.all()}


def _risk(case: Case) -> cl.RiskFacts | None:
    assessment = (
        RiskAssessment.objects.filter(
            case=case, status__in=[AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF], completed_at__isnull=False
        )
        .annotate(plan_count=Count("plan_actions"))
        .prefetch_related("forms")
        .order_by("-completed_at", "-id")
        .first()
    )
    if assessment is None:
        return None
    forms = _forms(assessment)
    answers = assessment.answers or {}

    def answered(key: str) -> str:
        return (answers.get(key) or {}).get("answer") or ""

    dash = forms.get(KIND_DASH)
    triggers = dash.questions_triggering(TRIGGER_STALKING_SUPPLEMENTARY) if dash else ()
    supplementary = forms.get(KIND_STALKING_SUPPLEMENTARY)
    unanswered = sum(1 for q in supplementary.questions if not answered(q.key)) if supplementary else 0
    return cl.RiskFacts(
        completed_on=assessment.completed_at.date(),
        grade=_label(Grade, assessment.grade),
        stalking_question_yes=any(answered(q.key) == "yes" for q in triggers),
        supplementary_asked=supplementary is not None,
        supplementary_unanswered=unanswered,
        plan_actions=assessment.plan_count,
    )


def _orders(case: Case) -> tuple[cl.OrderFacts, ...]:
    orders = (
        ProtectiveOrder.objects.filter(case=case, order_type__in=RESTRAINING_AND_SPO)
        .prefetch_related(Prefetch("conditions", queryset=Condition.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return tuple(
        cl.OrderFacts(
            order_type=o.order_type,
            status=o.status,
            status_label=o.get_status_display(),
            not_pursued_reason=bool(o.not_pursued_reason.strip()),
            conditions=tuple(
                cl.ConditionFacts(wording=c.wording, consultation=c.consultation) for c in o.conditions.all()
            ),
        )
        for o in orders
    )


def _recording(case: Case) -> tuple[tuple[str, ...], bool]:
    records = list(CrimeRecord.objects.filter(case=case).order_by("-is_principal", "recorded_at", "id"))
    reviewed, reclassified = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            reviewed=Exists(RecordingReview.objects.filter(case=OuterRef("pk"))),
            reclassified=Exists(Reclassification.objects.filter(record__case=OuterRef("pk"))),
        )
        .values_list("reviewed", "reclassified")
        .get()
    )
    answered = reviewed or reclassified or any(r.override_reason.strip() for r in records)
    return tuple(r.offence for r in records), answered


def handover_facts(case: Case, prep: HandoverPreparation | None = None) -> cl.HandoverFacts:
    """Everything the checklist reads, in a fixed number of queries however much the case holds."""
    prep = prep if prep is not None else preparation_of(case)
    occasions, acts, span_days, stalking_suggested, impacts = _conduct(case)
    offences, reason_recorded = _recording(case)
    bail = SuspectRoute.objects.filter(case=case, route__in=BAIL_ROUTES).order_by("occurred_on", "id")
    referrals = SupportReferral.objects.filter(case=case).order_by("referred_on", "id")
    return cl.HandoverFacts(
        case_is_stalking=case.is_stalking,
        occasions=occasions,
        acts=acts,
        span_days=span_days,
        recorded_offences=offences,
        recorded_offence_labels=tuple(_label(RecordedOffence, o) for o in offences),
        stalking_suggested=stalking_suggested,
        stalking_reason_recorded=reason_recorded,
        risk=_risk(case),
        impacts=impacts,
        orders=_orders(case),
        bail=tuple(cl.BailFacts(occurred_on=b.occurred_on, victim_views=bool(b.victim_views.strip())) for b in bail),
        referrals=tuple(
            cl.ReferralFacts(service=r.get_service_display(), declined=r.outcome == ReferralOutcome.DECLINED)
            for r in referrals
        ),
        preparation=preparation_facts(prep),
        restraining_decisions=tuple(
            cl.RestrainingDecisionFacts(moment=d.moment, sought=d.sought) for d in latest_decisions(case).values()
        ),
    )


def protocol_checklist(case: Case) -> list[cl.ChecklistItem]:
    """The protocol checklist of the case (protocol.checklist.evaluate over the case's facts)."""
    return cl.evaluate(handover_facts(case))


def case_handovers(case: Case) -> list[Handover]:
    """The charging requests sent in the case, newest first, with the lawyer, sender and pack."""
    return list(
        Handover.objects.filter(case=case).select_related("lawyer", "sent_by", "pack").order_by("-sent_at", "-id")
    )


# --- The charging requests a user may see (the prosecutor's queue, the handover page, the API) --------

# The queue's order: awaiting a decision first, then red before green priority before green, oldest first.
PRIORITY_RANK = {c.Priority.RED: 0, c.Priority.GREEN_PRIORITY: 1, c.Priority.GREEN: 2}


def handovers_for_user(user: User) -> QuerySet[Handover]:
    """The charging requests the user may see. Whoever may see the whole case (the police of its unit,
    the force's registrar) sees all of its requests; whoever holds only the handover material (a CPS
    lawyer) sees the requests sent to them, and only while the grant stands."""
    holds_handover = Case.objects.filter(policy.cases_where(user, policy.Action.VIEW_HANDOVER)).values("pk")
    sees_case = Case.objects.filter(policy.cases_where(user, policy.Action.VIEW_CASE)).values("pk")
    return Handover.objects.filter(case__in=holds_handover).filter(Q(lawyer_id=user.pk) | Q(case__in=sees_case))


def handover_readable(user: User, handover: Handover) -> bool:
    """Whether the user may see this charging request and its pack (a lawyer: only those sent to them)."""
    return handovers_for_user(user).filter(pk=handover.pk).exists()


def handover_queue(user: User) -> QuerySet[Handover]:
    """The user's charging requests, awaiting a decision first, red first, oldest first."""
    return (
        handovers_for_user(user)
        .annotate(
            awaiting_rank=Cases(
                When(status=c.HandoverStatus.AWAITING_DECISION, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            priority_rank=Cases(
                *[When(priority=priority, then=Value(rank)) for priority, rank in PRIORITY_RANK.items()],
                default=Value(len(PRIORITY_RANK)),
                output_field=IntegerField(),
            ),
            open_actions=Count("action_items", filter=Q(action_items__answered_at__isnull=True)),
        )
        .select_related("case", "lawyer", "sent_by")
        .order_by("awaiting_rank", "priority_rank", "sent_at", "pk")
    )


def handover_access(user: User, handover_id: int) -> Handover:
    """One charging request the user may see, with its case; 404 alike for missing and not yours."""
    handover = Handover.objects.filter(pk=handover_id).select_related("lawyer", "sent_by", "decided_by").first()
    if handover is None:
        raise Http404("No such charging request.")
    handover.case = policy.access_case(user, handover.case_id, policy.Action.VIEW_HANDOVER)
    if handover.lawyer_id != user.pk and not policy.may(user, policy.Action.VIEW_CASE, handover.case):
        raise Http404("No such charging request.")
    return handover


def action_access(user: User, item_id: int) -> ActionItem:
    """One action item of a charging request the user may see; 404 alike for missing and not yours."""
    item = ActionItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such action.")
    item.handover = handover_access(user, item.handover_id)
    item.case = item.handover.case
    return item


def actions_of(handover: Handover) -> list[ActionItem]:
    """The action plan, in the order raised."""
    items = ActionItem.objects.filter(handover=handover).select_related("raised_by", "answered_by")
    return list(items.order_by("raised_at", "pk"))


def pleas_of(handover: Handover) -> list[PleaDecision]:
    """The plea decisions recorded on a charging request, in the order made."""
    pleas = PleaDecision.objects.filter(handover=handover).select_related("decided_by")
    return list(pleas.order_by("decided_at", "pk"))


def offence_labels(values: list[str]) -> list[str]:
    return [c.Offence(value).label if value in c.Offence.values else value for value in values]


def cps_lawyers(area_code: str = "") -> QuerySet[User]:
    """The CPS lawyers a charging request can go to: active users with the role, of one CPS area if given."""
    lawyers = User.objects.filter(role=Role.CPS_LAWYER, is_active=True)
    if area_code:
        lawyers = lawyers.filter(cps_area__code=area_code)
    return lawyers.select_related("cps_area").order_by("last_name", "first_name", "username")


# Not changes to the file: the request itself and the decisions that follow it, and the case's own moves
# (the stage the sending moves it to, a new officer).
_NOT_FILE_CHANGES = (TimelineKind.HANDOVER, TimelineKind.CHARGING, TimelineKind.CASE)
_CHANGE_NOUNS = {
    TimelineKind.INCIDENT: ("incident recorded", "incidents recorded"),
    TimelineKind.BREACH: ("breach recorded", "breaches recorded"),
    TimelineKind.EVIDENCE: ("change to the evidence", "changes to the evidence"),
    TimelineKind.RISK: ("change to the risk assessment", "changes to the risk assessment"),
    TimelineKind.ORDER: ("change to orders or bail", "changes to orders or bail"),
}


def changes_since(case: Case, since) -> list[str]:
    """What the case's file has gained since a pack was prepared, as counts ("3 incidents recorded") and
    never their content: the lawyer reads only the pack, and asks for a new one."""
    counts = dict(
        TimelineEvent.objects.filter(case=case, recorded_at__gt=since)
        .exclude(kind__in=_NOT_FILE_CHANGES)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    changes = []
    for kind in TimelineKind:
        if n := counts.get(kind.value):
            one, several = _CHANGE_NOUNS.get(kind, (f"{kind.label.lower()} entry", f"{kind.label.lower()} entries"))
            changes.append(f"{n} {one if n == 1 else several}")
    updated = HandoverPreparation.objects.filter(case=case, updated_at__gt=since).values_list("updated_at", flat=True)
    if updated:
        when = dateformat.format(timezone.localtime(updated[0]), "j M Y H:i")
        changes.append(f"the officer's preparation of the file (MG5, MG6) changed on {when}")
    return changes
