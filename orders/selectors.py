"""Reads for protection: the facts for eligibility hints, the conditions that bind, breaches and arrests
for the escalation detector, and a case's protection at a glance."""

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from casework.choices import DOMESTIC_RELATIONSHIPS, PartyRole
from casework.models import Case, CaseParty, Incident
from orders import choices as c
from orders.conditions import ConditionFacts
from orders.eligibility import CaseFacts
from orders.models import Breach, Condition, ProtectiveOrder, SuspectRoute


def _latest_grade(case: Case) -> str | None:
    from risk.selectors import with_latest_risk

    return with_latest_risk(Case.objects.filter(pk=case.pk)).values_list("risk_grade", flat=True).first()


def case_protection_facts(case: Case) -> CaseFacts:
    stalking_behaviour = Incident.objects.filter(case=case).exclude(behaviours=[]).exists()
    domestic = (
        case.is_domestic_abuse
        or CaseParty.objects.filter(
            case=case, role=PartyRole.VICTIM, relationship_to_suspect__in=DOMESTIC_RELATIONSHIPS
        ).exists()
    )
    active = set(
        case.orders.exclude(
            status__in=[c.OrderStatus.NOT_PURSUED, c.OrderStatus.REFUSED, c.OrderStatus.DISCHARGED,
                        c.OrderStatus.EXPIRED]
        ).values_list("order_type", flat=True)
    )  # fmt: skip
    return CaseFacts(
        stage=case.stage,
        domestic_abuse=domestic,
        stalking=case.is_stalking or stalking_behaviour,
        harassment=case.is_harassment,
        risk_grade=_latest_grade(case),
        regime=case.unit.protection_notice_regime,
        active_types=frozenset(active),
    )


def binding_conditions(case_id: int) -> list[ConditionFacts]:
    """Every condition of an order or bail of the case that binds (or bound) the suspect, with the
    period it binds: its own dates inside its order's (from service, else grant, to the end or expiry)
    or its bail's (start to end)."""
    conditions = (
        Condition.objects.filter(Q(order__case_id=case_id) | Q(bail__case_id=case_id))
        .filter(
            Q(order__status__in=[*c.BINDING_STATUSES, c.OrderStatus.DISCHARGED, c.OrderStatus.EXPIRED])
            | Q(bail__route__in=c.BAIL_ROUTES)
        )
        .select_related("order", "bail")
        .prefetch_related("protected_people")
    )
    facts = []
    for cond in conditions:
        if cond.order_id:
            start, end = cond.order.in_force_from, cond.order.ended_on or cond.order.expires_on
        else:
            start, end = cond.bail.bail_start, cond.bail.bail_ended_on or cond.bail.bail_end
        if start is None:
            continue
        start = max(start, cond.starts_on) if cond.starts_on else start
        end = min(d for d in (end, cond.ends_on) if d) if (end or cond.ends_on) else None
        facts.append(
            ConditionFacts(
                id=cond.pk,
                protected_ids=frozenset(p.pk for p in cond.protected_people.all()),
                channels=frozenset(cond.channels),
                zone_places=frozenset(cond.zone_places),
                behaviours=frozenset(cond.behaviours),
                binds_from=start,
                binds_until=end,
            )
        )
    return facts


def escalation_breaches(case: Case):
    """(id, when, kind) of each breach, for risk.escalation.BreachFacts."""
    rows = Breach.objects.filter(case=case).values_list("pk", "incident__occurred_at", "order__order_type")
    return [(pk, occurred_at, order_type or "bail") for pk, occurred_at, order_type in rows]


def arrest_dates(case: Case) -> list[datetime]:
    """When the suspect was arrested or charged: contact after that is escalation."""
    tz = timezone.get_current_timezone()
    days = (
        SuspectRoute.objects.filter(case=case)
        .exclude(route__in=[c.Route.VOLUNTARY_INTERVIEW, c.Route.POSTAL_REQUISITION])
        .values_list("occurred_on", flat=True)
    )
    return [datetime.combine(day, time.min, tz) for day in days]


def orders_of_case(case: Case) -> list[ProtectiveOrder]:
    return list(
        case.orders.select_related("respondent", "follows")
        .prefetch_related("protected_people", "conditions__protected_people")
        .order_by("-created_at", "-id")
    )


def routes_of_case(case: Case) -> list[SuspectRoute]:
    return list(
        case.suspect_routes.select_related("suspect", "reviewed_by")
        .prefetch_related("extensions", "conditions__protected_people")
        .order_by("-occurred_on", "-id")
    )
