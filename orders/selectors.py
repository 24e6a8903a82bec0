"""Reads for protection: the facts for eligibility hints, the conditions that bind, what protection adds
to the escalation detector (its provider), and a case's protection at a glance."""

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from casework.choices import DOMESTIC_RELATIONSHIPS, PartyRole
from casework.models import Case, CaseParty, Incident
from orders import choices as c
from orders.conditions import ConditionFacts
from orders.eligibility import CaseFacts
from orders.models import Breach, Condition, ProtectiveOrder, SuspectRoute
from risk.escalation import BreachFacts
from risk.providers import CaseParties, Contribution


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


def escalation_contribution(parties: CaseParties) -> Contribution:
    """What protection adds to the escalation detector (risk/providers.py): this case's breaches and
    arrests (contact after an arrest or charge is escalation), and his record elsewhere: breaches,
    convictions (a restraining order on conviction), and the orders and bail of his other cases."""
    case, suspects, tz = parties.case, parties.suspect_ids, timezone.get_current_timezone()
    breaches = [
        BreachFacts(id=pk, occurred_at=at, order_kind=kind or "bail")
        for pk, at, kind in Breach.objects.filter(case=case).values_list(
            "pk", "incident__occurred_at", "order__order_type"
        )
    ]
    arrests = (
        SuspectRoute.objects.filter(case=case)
        .exclude(route__in=[c.Route.VOLUNTARY_INTERVIEW, c.Route.POSTAL_REQUISITION])
        .values_list("occurred_on", flat=True)
    )
    his = Q(order__respondent_id__in=suspects) | Q(bail__suspect_id__in=suspects)
    elsewhere = Breach.objects.filter(his).exclude(case=case).values_list("incident__occurred_at", flat=True)
    granted = ProtectiveOrder.objects.filter(respondent_id__in=suspects, granted_on__isnull=False)
    convictions = granted.filter(order_type=c.OrderType.RESTRAINING_ORDER_CONVICTION).values_list(
        "granted_on", flat=True
    )
    orders = granted.exclude(case=case).values_list("order_type", "granted_on")
    bail = (
        SuspectRoute.objects.filter(suspect_id__in=suspects, route__in=c.BAIL_ROUTES)
        .exclude(case=case)
        .values_list("occurred_on", flat=True)
    )
    return Contribution(
        breaches=breaches,
        warnings_or_arrests=[datetime.combine(day, time.min, tz) for day in arrests],
        breaches_elsewhere=list(elsewhere),
        convictions=list(convictions),
        orders_elsewhere=[*orders, *(("bail", day) for day in bail)],
    )


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
