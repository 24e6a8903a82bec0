"""Checks on protection: orders and bail running out, the respondent's notification, the victim told of
an order or bail change, routes awaiting a supervisor, possible breaches, and the further offence after
a breach.

The row sets (`expiring_orders`, `expiring_bail`, ...) are also what the dashboard's protection figures
count and list (orders/dashboard.py), so a figure and its alerts are about the same rows."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.alerts import Check
from casework.choices import AlertAudience, AlertKind, AlertSeverity, CaseStage
from casework.models import Case
from orders import choices as c
from orders.models import (
    Breach,
    BreachProposal,
    ProtectiveOrder,
    RestrainingOrderDecision,
    SuspectRoute,
    VictimNotice,
)

# A breach is recorded; the officer then has a day to say whether it is also a further offence.
SUBSTANTIVE_DECISION_HOURS = 24


def _end_of(day: date) -> datetime:
    """The moment a last day (of an order, of bail, to notify, to tell her) has passed."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def _of_open_cases(rows: QuerySet, case_ids: Iterable[int] | None) -> QuerySet:
    rows = rows.exclude(case__stage=CaseStage.FINALISED)
    return rows.filter(case_id__in=case_ids) if case_ids is not None else rows


# --- The rows, shared with the dashboard ------------------------------------------------------------


def expiring_orders(today: date) -> QuerySet[ProtectiveOrder]:
    """Binding orders whose expiry falls within their type's warning window, or has passed."""
    windows = settings.ORDER_EXPIRY_WARNING_DAYS
    typed = [order_type for order_type in windows if order_type != "default"]
    within = Q(expires_on__lte=today + timedelta(days=windows["default"])) & ~Q(order_type__in=typed)
    for order_type in typed:
        within |= Q(order_type=order_type, expires_on__lte=today + timedelta(days=windows[order_type]))
    return ProtectiveOrder.objects.filter(status__in=c.BINDING_STATUSES, expires_on__isnull=False).filter(within)


def expiring_bail(today: date) -> QuerySet[SuspectRoute]:
    """Current bail whose end date is within the warning window, or has passed."""
    return SuspectRoute.objects.filter(
        route__in=c.BAIL_ROUTES,
        bail_ended_on__isnull=True,
        bail_end__lte=today + timedelta(days=settings.BAIL_EXPIRY_WARNING_DAYS),
    )


def missed_notifications(today: date) -> QuerySet[ProtectiveOrder]:
    """Binding orders whose respondent has not notified name and address by the last day (SPA 2019 s.9)."""
    return ProtectiveOrder.objects.filter(
        status__in=c.BINDING_STATUSES, notification_due_on__lt=today, respondent_notified_on__isnull=True
    )


def overdue_notices(today: date) -> QuerySet[VictimNotice]:
    """Order or bail changes the victim has not been told of within the working day allowed."""
    return VictimNotice.objects.filter(informed_at__isnull=True, due_on__lt=today)


def unreviewed_routes() -> QuerySet[SuspectRoute]:
    """Routes that left the victim without bail conditions in a risky case, not yet reviewed."""
    return SuspectRoute.objects.filter(needs_review=True, reviewed_at__isnull=True)


def undecided_breaches(now: datetime) -> QuerySet[Breach]:
    """Breaches recorded over a day ago with no answer to "is this also a further offence?"."""
    return Breach.objects.filter(
        substantive_decision=c.SubstantiveDecision.NOT_YET,
        recorded_at__lte=now - timedelta(hours=SUBSTANTIVE_DECISION_HOURS),
    )


# --- The checks -------------------------------------------------------------------------------------


def order_expiring(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """Warning ahead of expiry (an SPO's renewal needs a court application); urgent once it has passed
    and neither the expiry nor a renewal is recorded."""
    today = timezone.localdate(now)
    rows = _of_open_cases(expiring_orders(today), case_ids).order_by("expires_on", "pk")
    found: dict[int, dict] = {}
    for case_id, order_id, expires_on in rows.values_list("case_id", "pk", "expires_on"):
        facts = found.setdefault(case_id, {"orders": [], "due_at": _end_of(expires_on)})
        facts["orders"].append({"order": order_id, "expires_on": expires_on.isoformat()})
        if expires_on < today:
            facts["severity"] = AlertSeverity.URGENT
    return found


def bail_expiring(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    today = timezone.localdate(now)
    rows = _of_open_cases(expiring_bail(today), case_ids).order_by("bail_end", "pk")
    found: dict[int, dict] = {}
    for case_id, route_id, bail_end in rows.values_list("case_id", "pk", "bail_end"):
        facts = found.setdefault(case_id, {"routes": [], "due_at": _end_of(bail_end)})
        facts["routes"].append({"route": route_id, "bail_end": bail_end.isoformat()})
        if bail_end < today:
            facts["severity"] = AlertSeverity.URGENT
    return found


def order_notification_missed(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    rows = _of_open_cases(missed_notifications(timezone.localdate(now)), case_ids).order_by("notification_due_on")
    found: dict[int, dict] = {}
    for case_id, order_id, due_on in rows.values_list("case_id", "pk", "notification_due_on"):
        facts = found.setdefault(case_id, {"orders": [], "due_at": _end_of(due_on)})
        facts["orders"].append({"order": order_id, "notification_due_on": due_on.isoformat()})
    return found


def victim_not_told(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    rows = _of_open_cases(overdue_notices(timezone.localdate(now)), case_ids).order_by("due_on", "pk")
    found: dict[int, dict] = {}
    for case_id, notice_id, victim_id, due_on in rows.values_list("case_id", "pk", "victim_id", "due_on"):
        facts = found.setdefault(case_id, {"notices": [], "victims": [], "due_at": _end_of(due_on)})
        facts["notices"].append(notice_id)
        if victim_id not in facts["victims"]:
            facts["victims"].append(victim_id)
    return found


def route_awaiting_review(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for case_id, route_id in _of_open_cases(unreviewed_routes(), case_ids).order_by("pk").values_list("case_id", "pk"):
        found.setdefault(case_id, {"routes": []})["routes"].append(route_id)
    return found


def breach_proposed(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The system matched an incident to a condition in force; the officer has not decided."""
    pending = BreachProposal.objects.filter(status=c.ProposalStatus.PROPOSED)
    found: dict[int, dict] = {}
    for case_id, proposal_id in _of_open_cases(pending, case_ids).order_by("pk").values_list("case_id", "pk"):
        found.setdefault(case_id, {"proposals": []})["proposals"].append(proposal_id)
    return found


def breach_offence_not_considered(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The inspection found breaches prosecuted alone while the stalking went on."""
    rows = _of_open_cases(undecided_breaches(now), case_ids).order_by("recorded_at", "pk")
    found: dict[int, dict] = {}
    for case_id, breach_id, recorded_at in rows.values_list("case_id", "pk", "recorded_at"):
        due = recorded_at + timedelta(hours=SUBSTANTIVE_DECISION_HOURS)
        found.setdefault(case_id, {"breaches": [], "due_at": due})["breaches"].append(breach_id)
    return found


def restraining_order_undecided(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The CPS authorised a charge, or the case is charged or at court, and no restraining-order decision at
    charge is recorded (protocol 2018 §9; CPS guidance: consider one at charge). The charge itself needs
    one (protocol.services.decisions); this prompts for it before, and finds cases charged before the rule."""
    decided = RestrainingOrderDecision.objects.filter(case_id=OuterRef("pk"), moment=c.RestrainingMoment.CHARGE)
    cases = Case.objects.exclude(stage=CaseStage.FINALISED)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    due = (
        cases.filter(
            Q(stage__in=[CaseStage.CHARGED, CaseStage.AT_COURT])
            | Q(handovers__status="decided", handovers__decision="charge")
        )
        .exclude(Exists(decided))
        .distinct()
        .values_list("pk", flat=True)
    )
    return {case_id: {} for case_id in due}


CHECKS = [
    Check(AlertKind.ORDER_EXPIRING, AlertSeverity.WARNING, AlertAudience.OIC, order_expiring),
    Check(AlertKind.BAIL_EXPIRING, AlertSeverity.WARNING, AlertAudience.OIC, bail_expiring),
    Check(AlertKind.ORDER_NOTIFICATION_MISSED, AlertSeverity.URGENT, AlertAudience.OIC, order_notification_missed),
    Check(AlertKind.VICTIM_NOT_TOLD, AlertSeverity.URGENT, AlertAudience.OIC, victim_not_told),
    Check(AlertKind.ROUTE_AWAITING_REVIEW, AlertSeverity.WARNING, AlertAudience.SUPERVISOR, route_awaiting_review),
    Check(AlertKind.BREACH_PROPOSED, AlertSeverity.WARNING, AlertAudience.OIC, breach_proposed),
    Check(
        AlertKind.BREACH_OFFENCE_NOT_CONSIDERED, AlertSeverity.WARNING, AlertAudience.OIC, breach_offence_not_considered
    ),
    Check(AlertKind.RESTRAINING_ORDER_UNDECIDED, AlertSeverity.WARNING, AlertAudience.OIC, restraining_order_undecided),
]
