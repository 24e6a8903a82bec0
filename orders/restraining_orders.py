"""Restraining-order decisions: at charge, and at conviction or acquittal, an order is sought (with its
conditions) or not sought (with the reason). The charge and the court's outcome (protocol.services.decisions)
record one in their transaction; the checklist, the pack and an alert read them."""

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import TimelineKind
from casework.models import Case
from casework.timeline import timeline_record
from config.errors import InvalidInput
from orders import choices as c
from orders.models import ProtectiveOrder, RestrainingOrderDecision

# The order types a decision at each moment may seek.
SOUGHT_TYPES = {
    c.RestrainingMoment.CHARGE: frozenset(
        {c.OrderType.RESTRAINING_ORDER_CONVICTION, c.OrderType.RESTRAINING_ORDER_ACQUITTAL}
    ),
    c.RestrainingMoment.CONVICTION: frozenset({c.OrderType.RESTRAINING_ORDER_CONVICTION}),
    c.RestrainingMoment.ACQUITTAL: frozenset({c.OrderType.RESTRAINING_ORDER_ACQUITTAL}),
}


def restraining_decision_errors(
    case: Case, moment: str, sought: bool | None, order_id: int | None, reason: str
) -> dict:
    """What is wrong with a decision, by field (restraining_order_sought, restraining_order_id,
    restraining_order_reason); {} when it can be recorded."""
    if moment not in c.RestrainingMoment.values:
        return {"restraining_order_sought": f"Unknown moment {moment!r}"}
    when = c.RestrainingMoment(moment).label.lower()
    if sought is None:
        return {"restraining_order_sought": f"Say whether a restraining order is sought {when}"}
    if not sought:
        if not (reason or "").strip():
            return {"restraining_order_reason": f"Give the reason no restraining order is sought {when}"}
        return {}
    if order_id is None:
        return {"restraining_order_id": "Choose the restraining order sought, with its conditions"}
    order = ProtectiveOrder.objects.filter(pk=order_id, case=case, order_type__in=SOUGHT_TYPES[moment]).first()
    if order is None:
        names = " or ".join(sorted(c.OrderType(t).label.lower() for t in SOUGHT_TYPES[moment]))
        return {"restraining_order_id": f"Choose a {names} of this case"}
    if order.status == c.OrderStatus.NOT_PURSUED:
        return {
            "restraining_order_id": "That order is recorded as not pursued: choose another, or say why none is sought"
        }
    if not order.conditions.exists():
        return {"restraining_order_id": "Add the conditions sought to the order first (Protection tab)"}
    return {}


@transaction.atomic
def restraining_order_decide(
    *, actor: User, case: Case, moment: str, sought: bool | None, order_id: int | None = None, reason: str = ""
) -> RestrainingOrderDecision:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    errors = restraining_decision_errors(case, moment, sought, order_id, reason)
    if errors:
        raise InvalidInput(errors)
    decision = RestrainingOrderDecision.objects.create(
        case=case,
        moment=moment,
        sought=bool(sought),
        order_id=order_id if sought else None,
        reason="" if sought else reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    what = f"sought ({decision.order})" if sought else f"not sought: {decision.reason}"
    timeline_record(
        case=case,
        kind=TimelineKind.ORDER,
        occurred_at=decision.decided_at,
        summary=f"Restraining order {decision.get_moment_display().lower()}: {what}",
        source=decision,
        actor=actor,
    )
    return decision


def latest_decisions(case: Case) -> dict[str, RestrainingOrderDecision]:
    """The latest decision at each moment, by moment."""
    latest: dict[str, RestrainingOrderDecision] = {}
    for decision in case.restraining_order_decisions.select_related("order").order_by("decided_at", "id"):
        latest[decision.moment] = decision
    return latest
