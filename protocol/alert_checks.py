"""Checks on the handover: an action of the prosecutor's plan left unanswered past its due date, and a
charge the CPS authorised that the police have not acted on (the case not charged) in time.

The row sets (`overdue_actions`, `charges_not_acted_on`) are also what the dashboard's "Charging
requests" figures count and list (protocol/dashboard.py), so a figure and its alerts are about the same
rows."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from casework.alerts import Check
from casework.choices import AlertAudience, AlertKind, AlertSeverity, CaseStage
from protocol import choices as c
from protocol.models import ActionItem, Handover

# A charge is acted on once the case reaches one of these stages.
CHARGED_OR_LATER = [CaseStage.CHARGED, CaseStage.AT_COURT, CaseStage.FINALISED]


def _end_of(day: date) -> datetime:
    """The moment a due date has passed: the start of the next day, local time."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def _of_open_cases(rows: QuerySet, case_ids: Iterable[int] | None) -> QuerySet:
    rows = rows.exclude(case__stage=CaseStage.FINALISED)
    return rows.filter(case_id__in=case_ids) if case_ids is not None else rows


# --- The rows, shared with the dashboard ------------------------------------------------------------


def overdue_actions(today: date) -> QuerySet[ActionItem]:
    """Actions of the prosecutor's plan not answered by the end of their due date (of a request the police
    have not withdrawn)."""
    return ActionItem.objects.filter(answered_at__isnull=True, due_on__lt=today).exclude(
        handover__status=c.HandoverStatus.WITHDRAWN
    )


def charges_not_acted_on(now: datetime) -> QuerySet[Handover]:
    """Charges the CPS authorised over CHARGE_ACT_WITHIN_DAYS ago, the case still not charged."""
    return Handover.objects.filter(
        status=c.HandoverStatus.DECIDED,
        decision=c.Decision.CHARGE,
        decided_at__lte=now - timedelta(days=settings.CHARGE_ACT_WITHIN_DAYS),
    ).exclude(case__stage__in=CHARGED_OR_LATER)


# --- The checks -------------------------------------------------------------------------------------


def cps_action_overdue(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    rows = _of_open_cases(overdue_actions(timezone.localdate(now)), case_ids).order_by("due_on", "pk")
    found: dict[int, dict] = {}
    for case_id, item_id, handover_id, due_on in rows.values_list("case_id", "pk", "handover_id", "due_on"):
        facts = found.setdefault(case_id, {"actions": [], "handovers": [], "due_at": _end_of(due_on)})
        facts["actions"].append({"action": item_id, "due_on": due_on.isoformat()})
        if handover_id not in facts["handovers"]:
            facts["handovers"].append(handover_id)
    return found


def charge_not_acted_on(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The prosecutor authorised a charge; the suspect must be charged (the case moved to "charged")."""
    within = timedelta(days=settings.CHARGE_ACT_WITHIN_DAYS)
    rows = _of_open_cases(charges_not_acted_on(now), case_ids).order_by("decided_at", "pk")
    found: dict[int, dict] = {}
    for case_id, handover_id, decided_at in rows.values_list("case_id", "pk", "decided_at"):
        facts = found.setdefault(case_id, {"handovers": [], "due_at": decided_at + within})
        facts["handovers"].append(handover_id)
    return found


CHECKS = [
    Check(AlertKind.CPS_ACTION_OVERDUE, AlertSeverity.WARNING, AlertAudience.OIC, cps_action_overdue),
    Check(AlertKind.CHARGE_NOT_ACTED_ON, AlertSeverity.URGENT, AlertAudience.OIC, charge_not_acted_on),
]
