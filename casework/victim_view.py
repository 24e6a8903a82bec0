"""The victim-safe view: the one definition of what an advocate sees of a case (product.md, journey 5).

An advocate holds `Action.VIEW_VICTIM_SAFE` on a case whose victim was referred, with her consent, to
the advocate's organisation (accounts.policy, Scope.REFERRED), and sees only the victims so referred
(`policy.referred_victim_ids`). For each of them: her name, her support referrals, her contact details
through `casework.selectors.person_contact_details` (sealed ones withheld), the orders and bail
conditions that protect her (wording with every victim address and exclusion-zone address withheld),
the incidents she is the victim of (when, how, how many: never the narrative, which may hold police
intelligence), her latest risk grade and its date (never the answers), when her next Victims' Code
update is due, her safety plan and what the advocate passed on. Of the case: its reference and stage,
the officer in the case and the unit. Nothing else: no other victim, nothing of the suspect but his
name, no linked case, MG6/CPS material, evidence, audit, risk answers or recording decision.

Everything is plain data (frozen dataclasses), so a template or serializer has no model to reach
further through. Built in a fixed number of queries however much the case holds (one more per
referred victim for her contact details). Callers check access first (`policy.access_case(user,
case_id, Action.VIEW_VICTIM_SAFE)`) and record the read (`record_consultation`).

Orders and risk are apps built on casework; they are imported inside the functions that read them, so
casework still loads without them (as accounts.policy reads casework)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.utils import timezone

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework import choices as c
from casework.models import (
    Case,
    CaseParty,
    Incident,
    PassedOnIncident,
    Person,
    SafetyPlanItem,
    SupportReferral,
    VictimContact,
)
from casework.redaction import Redactor, victim_redactor
from casework.selectors import person_contact_details

# Orders the police are only thinking about (or chose not to seek) are their deliberation, not hers.
ORDER_STATUSES_HIDDEN = ("considered", "not_pursued", "drafted")


@dataclass(frozen=True)
class ContactDetailSafe:
    kind: str
    kind_label: str
    value: str | None  # None: sealed and withheld from this user
    withheld: bool


@dataclass(frozen=True)
class ReferralSafe:
    service: str
    service_label: str
    organisation: str
    outcome: str
    outcome_label: str
    referred_on: date
    ended_on: date | None


@dataclass(frozen=True)
class ConditionSafe:
    kind_label: str
    wording: str  # addresses withheld
    starts_on: date | None
    ends_on: date | None
    exclusion_zone: bool


@dataclass(frozen=True)
class OrderSafe:
    id: int
    order_type: str
    order_type_label: str
    status: str
    status_label: str
    respondent: str
    applied_on: date | None
    granted_on: date | None
    served_on: date | None
    expires_on: date | None
    until_further_order: bool
    ended_on: date | None
    conditions: tuple[ConditionSafe, ...]


@dataclass(frozen=True)
class BailSafe:
    id: int
    route_label: str
    suspect: str
    bail_start: date | None
    bail_end: date | None
    bail_ended_on: date | None
    conditions: tuple[ConditionSafe, ...]


@dataclass(frozen=True)
class IncidentSafe:
    id: int
    occurred_at: datetime
    channel: str
    channel_label: str
    count: int


@dataclass(frozen=True)
class RiskSafe:
    grade: str
    grade_label: str
    assessed_on: date


@dataclass(frozen=True)
class SafetyPlanItemSafe:
    id: int
    risk: str
    measure: str
    owner: str
    review_on: date | None
    done_on: date | None
    created_at: datetime


@dataclass(frozen=True)
class PassedOnSafe:
    id: int
    occurred_at: datetime
    channel: str
    channel_label: str
    count: int
    account: str
    passed_on_at: datetime
    passed_on_by: str
    status: str
    status_label: str
    decline_reason: str
    decided_at: datetime | None


@dataclass(frozen=True)
class VictimSafe:
    person_id: int
    name: str
    referrals: tuple[ReferralSafe, ...]
    contact_details: tuple[ContactDetailSafe, ...]
    orders: tuple[OrderSafe, ...]
    bail: tuple[BailSafe, ...]
    incidents: tuple[IncidentSafe, ...]
    risk: RiskSafe | None
    next_update_due: date | None
    safety_plan: tuple[SafetyPlanItemSafe, ...]
    passed_on: tuple[PassedOnSafe, ...]

    @property
    def open_safety_items(self) -> int:
        return sum(1 for item in self.safety_plan if item.done_on is None)


@dataclass(frozen=True)
class VictimSafeView:
    case_id: int
    reference: str
    stage: str
    stage_label: str
    officer: str
    officer_email: str
    unit: str
    suspects: tuple[str, ...]
    victims: tuple[VictimSafe, ...]

    @property
    def victim_ids(self) -> list[int]:
        return [v.person_id for v in self.victims]


@dataclass(frozen=True)
class ReferredVictimRow:
    case_id: int
    reference: str
    officer: str
    unit: str
    victim_id: int
    victim: str
    referred_on: date
    open_safety_items: int
    passed_on_awaiting: int


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# --- The advocate's list -------------------------------------------------------------------------


def referred_victims(user: User) -> list[ReferredVictimRow]:
    """One row per (case, victim) referred to the user's organisation, in three queries."""
    cases = Case.objects.filter(policy.cases_where(user, Action.VIEW_VICTIM_SAFE))
    # The policy's own definition of a live referral (organisation, outcome, consent, not ended).
    referrals = (
        policy.live_referrals(user)
        .filter(case__in=cases)
        .select_related("case__officer", "case__unit", "victim")
        .order_by("referred_on", "id")
    )
    first: dict[tuple[int, int], SupportReferral] = {}
    for referral in referrals:
        first.setdefault((referral.case_id, referral.victim_id), referral)
    if not first:
        return []
    case_ids = {case_id for case_id, _ in first}
    open_items = _counts(SafetyPlanItem.objects.filter(case_id__in=case_ids, done_on__isnull=True))
    awaiting = _counts(PassedOnIncident.objects.filter(case_id__in=case_ids, status=c.PassedOnStatus.AWAITING))
    rows = [
        ReferredVictimRow(
            case_id=r.case_id,
            reference=r.case.reference,
            officer=_name(r.case.officer),
            unit=r.case.unit.name,
            victim_id=r.victim_id,
            victim=str(r.victim),
            referred_on=r.referred_on,
            open_safety_items=open_items.get(key, 0),
            passed_on_awaiting=awaiting.get(key, 0),
        )
        for key, r in first.items()
    ]
    return sorted(rows, key=lambda row: (-row.passed_on_awaiting, row.referred_on, row.reference, row.victim))


def _counts(queryset) -> dict[tuple[int, int], int]:
    rows = queryset.values("case_id", "victim_id").annotate(n=Count("id")).values_list("case_id", "victim_id", "n")
    return {(case_id, victim_id): n for case_id, victim_id, n in rows}


# --- One case, as the advocate sees it -----------------------------------------------------------


def victim_safe_view(user: User, case: Case) -> VictimSafeView:
    """The victim-safe view of a case the user may see it of (the caller checked access)."""
    ids = policy.referred_victim_ids(user, case)
    if not ids:  # access_case let the user in, so the referral ended in between: same as "not yours"
        raise Http404("No such case.")
    parties = list(_victim_parties(case, ids))
    persons = [party.person for party in parties]
    referrals = _group(
        SupportReferral.objects.filter(case=case, victim_id__in=ids)
        .select_related("organisation")
        .order_by("-referred_on", "-id"),
        _referral,
    )
    orders, bail, redactor_extra = _protection(case, ids)
    redact = victim_redactor(case, people=persons, extra=redactor_extra)
    incidents = _group(
        Incident.objects.filter(case=case, victim_id__in=ids).order_by("-occurred_at", "-id"),
        lambda i: IncidentSafe(i.pk, i.occurred_at, i.channel, _label(c.Channel, i.channel), i.count),
    )
    plan = _group(
        SafetyPlanItem.objects.filter(case=case, victim_id__in=ids).order_by("created_at", "id"),
        lambda s: SafetyPlanItemSafe(
            s.pk, redact(s.risk), redact(s.measure), redact(s.owner), s.review_on, s.done_on, s.created_at
        ),
    )
    passed_on = _group(
        PassedOnIncident.objects.filter(case=case, victim_id__in=ids)
        .select_related("passed_on_by")
        .order_by("-passed_on_at", "-id"),
        lambda p: _passed_on(p, redact),
    )
    suspects = tuple(
        str(p.person)
        for p in CaseParty.objects.filter(case=case, role=c.PartyRole.SUSPECT)
        .select_related("person")
        .order_by("added_at", "id")
    )
    victims = tuple(
        VictimSafe(
            person_id=party.person_id,
            name=str(party.person),
            referrals=tuple(referrals.get(party.person_id, ())),
            contact_details=tuple(_contact_details(user, party.person, case)),
            orders=tuple(_order(o, redact) for o in orders if party.person_id in o.protects),
            bail=_bail_for(bail, party.person_id, redact),
            incidents=tuple(incidents.get(party.person_id, ())),
            risk=RiskSafe(party.risk_grade, _risk_label(party.risk_grade), timezone.localdate(party.risk_on))
            if party.risk_grade and party.risk_on
            else None,
            next_update_due=party.next_update_due,
            safety_plan=tuple(sorted(plan.get(party.person_id, ()), key=_plan_order)),
            passed_on=tuple(passed_on.get(party.person_id, ())),
        )
        for party in parties
    )
    return VictimSafeView(
        case_id=case.pk,
        reference=case.reference,
        stage=case.stage,
        stage_label=_label(c.CaseStage, case.stage),
        officer=_name(case.officer),
        officer_email=case.officer.email,
        unit=case.unit.name,
        suspects=suspects,
        victims=victims,
    )


def record_consultation(case: Case, view: VictimSafeView, *, via: str) -> None:
    """The read, audited: the case and each victim shown (DPA 2018 s.62)."""
    audit.consulted(case, detail=f"victim-safe view ({via})")
    audit.consulted_many(Person, view.victim_ids, detail=f"victim-safe view of {view.reference} ({via})")


def _victim_parties(case: Case, ids: set[int]):
    from risk.choices import AssessmentStatus
    from risk.models import RiskAssessment

    latest_risk = RiskAssessment.objects.filter(
        case_id=OuterRef("case_id"),
        victim_id=OuterRef("person_id"),
        status__in=[AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF],
        completed_at__isnull=False,
    ).order_by("-completed_at", "-id")
    latest_contact = VictimContact.objects.filter(
        case_id=OuterRef("case_id"), victim_id=OuterRef("person_id")
    ).order_by("-contacted_at", "-id")
    return (
        CaseParty.objects.filter(case=case, role=c.PartyRole.VICTIM, person_id__in=ids)
        .select_related("person")
        .annotate(
            risk_grade=Subquery(latest_risk.values("grade")[:1]),
            risk_on=Subquery(latest_risk.values("completed_at")[:1]),
            next_update_due=Subquery(latest_contact.values("next_update_due")[:1]),
        )
        .order_by("added_at", "id")
    )


def _risk_label(grade: str) -> str:
    from risk.choices import Grade

    return _label(Grade, grade)


def _plan_order(item: SafetyPlanItemSafe) -> tuple:
    """Open measures first, soonest review first; then those done."""
    return (item.done_on is not None, item.review_on or date.max, item.created_at, item.id)


def _group(queryset, build) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in queryset:
        grouped.setdefault(row.victim_id, []).append(build(row))
    return grouped


def _referral(r: SupportReferral) -> ReferralSafe:
    return ReferralSafe(
        service=r.service,
        service_label=r.get_service_display(),
        organisation=r.organisation.name if r.organisation_id else "",
        outcome=r.outcome,
        outcome_label=r.get_outcome_display(),
        referred_on=r.referred_on,
        ended_on=r.ended_on,
    )


def _passed_on(p: PassedOnIncident, redact: Redactor) -> PassedOnSafe:
    return PassedOnSafe(
        id=p.pk,
        occurred_at=p.occurred_at,
        channel=p.channel,
        channel_label=p.get_channel_display(),
        count=p.count,
        account=redact(p.account),
        passed_on_at=p.passed_on_at,
        passed_on_by=_name(p.passed_on_by),
        status=p.status,
        status_label=p.get_status_display(),
        decline_reason=redact(p.decline_reason),
        decided_at=p.decided_at,
    )


def _contact_details(user: User, person: Person, case: Case) -> list[ContactDetailSafe]:
    return [
        ContactDetailSafe(
            kind=d.identifier.kind,
            kind_label=d.identifier.get_kind_display(),
            value=d.identifier.value if d.shown else None,
            withheld=not d.shown,
        )
        for d in person_contact_details(user, person, case)
    ]


def _protection(case: Case, ids: set[int]):
    """Orders protecting any of her (with their conditions) and bail conditions protecting her; and
    the exclusion-zone addresses to withhold. Four queries."""
    from orders.models import Condition, ProtectiveOrder

    only_hers = Person.objects.filter(pk__in=ids).only("id")
    orders = list(
        ProtectiveOrder.objects.filter(case=case, protected_people__in=ids)
        .exclude(status__in=ORDER_STATUSES_HIDDEN)
        .distinct()
        .select_related("respondent")
        .prefetch_related(
            Prefetch("protected_people", queryset=only_hers, to_attr="protected_here"),
            Prefetch("conditions", queryset=Condition.objects.order_by("created_at", "id")),
        )
        .order_by("-created_at", "-id")
    )
    for order in orders:
        order.protects = {p.pk for p in order.protected_here}
    bail_conditions = list(
        Condition.objects.filter(bail__case=case, protected_people__in=ids)
        .distinct()
        .select_related("bail__suspect")
        .prefetch_related(Prefetch("protected_people", queryset=only_hers, to_attr="protected_here"))
        .order_by("-bail__occurred_on", "bail_id", "created_at", "id")
    )
    zones = [x.zone_address for o in orders for x in o.conditions.all()] + [x.zone_address for x in bail_conditions]
    return orders, bail_conditions, [z for z in zones if z]


def _condition(x, redact) -> ConditionSafe:
    return ConditionSafe(
        kind_label=x.get_kind_display(),
        wording=redact(x.wording),
        starts_on=x.starts_on,
        ends_on=x.ends_on,
        exclusion_zone=bool(x.zone_address or x.zone_radius_m or x.zone_area or x.zone_places),
    )


def _order(order, redact) -> OrderSafe:
    return OrderSafe(
        id=order.pk,
        order_type=order.order_type,
        order_type_label=order.get_order_type_display(),
        status=order.status,
        status_label=order.get_status_display(),
        respondent=str(order.respondent),
        applied_on=order.applied_on,
        granted_on=order.granted_on,
        served_on=order.served_on,
        expires_on=order.expires_on,
        until_further_order=order.until_further_order,
        ended_on=order.ended_on,
        conditions=tuple(_condition(x, redact) for x in order.conditions.all()),
    )


def _bail_for(conditions, person_id: int, redact) -> tuple[BailSafe, ...]:
    routes: dict[int, tuple] = {}
    for x in conditions:
        if person_id in {p.pk for p in x.protected_here}:
            route, found = routes.setdefault(x.bail_id, (x.bail, []))
            found.append(_condition(x, redact))
    return tuple(
        BailSafe(
            id=route.pk,
            route_label=route.get_route_display(),
            suspect=str(route.suspect),
            bail_start=route.bail_start,
            bail_end=route.bail_end,
            bail_ended_on=route.bail_ended_on,
            conditions=tuple(found),
        )
        for route, found in routes.values()
    )


# --- Access to one safety plan item --------------------------------------------------------------


def safety_plan_item_access(user: User, item_id: int) -> SafetyPlanItem:
    """The item if it belongs to a victim referred to the user's organisation; 404 alike otherwise."""
    item = SafetyPlanItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such safety plan item.")
    case = policy.access_case(user, item.case_id, Action.VIEW_VICTIM_SAFE)
    if item.victim_id not in policy.referred_victim_ids(user, case):
        raise Http404("No such safety plan item.")
    item.case = case
    return item
