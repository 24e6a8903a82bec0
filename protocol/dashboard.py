"""The "Charging requests" figures on the supervisor's dashboard, and the lists behind them.

Each figure is a casework.dashboard.FigureList: its count and its list (casework's figure-list page)
come from the same `rows(open_cases, now)`, so the number and the list cannot disagree. The row sets the alerts
also use come from protocol/alert_checks.py."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from casework.dashboard import DashboardSection, Figure, FigureList
from protocol import choices as c
from protocol.alert_checks import charges_not_acted_on, overdue_actions
from protocol.models import Handover


def _day(day: date | datetime | None) -> str:
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return f"{day:%-d %b %Y}" if day else "–"


def _on_handover_page(handover_of: Callable[[Any], int]) -> Callable[[Any], str]:
    """Where a row is dealt with: the page of its charging request."""
    return lambda row: reverse("protocol:handover-detail", args=[handover_of(row)])


def _awaiting(cases, now: datetime) -> QuerySet:
    rows = Handover.objects.filter(case__in=cases, status=c.HandoverStatus.AWAITING_DECISION)
    return rows.select_related("lawyer").order_by("sent_at", "pk")


def _actions_overdue(cases, now: datetime) -> QuerySet:
    rows = overdue_actions(timezone.localdate(now)).filter(case__in=cases)
    return rows.select_related("raised_by").order_by("due_on", "pk")


def _charges_not_acted_on(cases, now: datetime) -> QuerySet:
    return charges_not_acted_on(now).filter(case__in=cases).select_related("lawyer").order_by("decided_at", "pk")


def _sent_with_items_missing(cases, now: datetime) -> QuerySet:
    rows = Handover.objects.filter(case__in=cases).exclude(missing_at_send=[])
    return rows.select_related("sent_by").order_by("-sent_at", "-pk")


def _missing_count(handover: Handover) -> str:
    n = len(handover.missing_at_send)
    return f"{n} item{'' if n == 1 else 's'}"


LISTS_IN_ORDER = [
    FigureList(
        "awaiting-decision",
        "Awaiting the CPS decision",
        ("charging request", "charging requests"),
        _awaiting,
        ("Priority", "Sent", "Lawyer"),
        lambda h: (h.get_priority_display(), _day(h.sent_at), str(h.lawyer)),
        _on_handover_page(lambda h: h.pk),
    ),
    FigureList(
        "actions-overdue",
        "CPS actions overdue",
        ("action", "actions"),
        _actions_overdue,
        ("Action", "Due", "Raised by"),
        lambda a: (a.request[:120], _day(a.due_on), str(a.raised_by)),
        _on_handover_page(lambda a: a.handover_id),
    ),
    FigureList(
        "charges-not-acted-on",
        "Charge authorised, suspect not yet charged",
        ("charging decision", "charging decisions"),
        _charges_not_acted_on,
        ("Decided", "Lawyer", "Code test"),
        lambda h: (_day(h.decided_at), str(h.lawyer), h.get_code_test_display() or "–"),
        _on_handover_page(lambda h: h.pk),
    ),
    FigureList(
        "sent-with-items-missing",
        "Sent with protocol checklist items missing",
        ("charging request", "charging requests"),
        _sent_with_items_missing,
        ("Sent", "Sent by", "Missing", "Reason for sending"),
        lambda h: (_day(h.sent_at), str(h.sent_by), _missing_count(h), h.override_reason or "–"),
        _on_handover_page(lambda h: h.pk),
    ),
]
LISTS = {lst.key: lst for lst in LISTS_IN_ORDER}


def charging_figures(user, open_cases) -> list[Figure]:
    now = timezone.now()
    return [lst.figure(open_cases, now) for lst in LISTS_IN_ORDER]


SECTIONS = [
    DashboardSection(
        "charging-requests", "Charging requests on open cases", "Charging requests", charging_figures, "Number"
    ),
]
