"""The "Charging requests" figures on the supervisor's dashboard, and the lists behind them.

Each figure is `rows(open_cases, now).count()` and its list (protocol/views/cps.py `cps_list`) shows
`rows(open_cases, now)` itself, so the number and the list cannot disagree. The row sets the alerts
also use come from protocol/alert_checks.py."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from casework.dashboard import DashboardSection, Figure
from protocol import choices as c
from protocol.alert_checks import charges_not_acted_on, overdue_actions
from protocol.models import Handover


def _day(day: date | datetime | None) -> str:
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return f"{day:%-d %b %Y}" if day else "–"


@dataclass(frozen=True)
class HandoverList:
    key: str
    label: str  # the figure's label and the list's heading
    nouns: tuple[str, str]  # what one row is, and several
    rows: Callable[[QuerySet, datetime], QuerySet]  # (the user's open cases, now) → the rows
    columns: tuple[str, ...]
    cells: Callable[[Any], tuple[str, ...]]
    handover_of: Callable[[Any], int]  # the charging request a row belongs to (its page)

    def link(self) -> str:
        return f"{reverse('protocol:cps-list')}?{urlencode({'show': self.key})}"


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
    HandoverList(
        "awaiting-decision",
        "Awaiting the CPS decision",
        ("charging request", "charging requests"),
        _awaiting,
        ("Priority", "Sent", "Lawyer"),
        lambda h: (h.get_priority_display(), _day(h.sent_at), str(h.lawyer)),
        lambda h: h.pk,
    ),
    HandoverList(
        "actions-overdue",
        "CPS actions overdue",
        ("action", "actions"),
        _actions_overdue,
        ("Action", "Due", "Raised by"),
        lambda a: (a.request[:120], _day(a.due_on), str(a.raised_by)),
        lambda a: a.handover_id,
    ),
    HandoverList(
        "charges-not-acted-on",
        "Charge authorised, suspect not yet charged",
        ("charging decision", "charging decisions"),
        _charges_not_acted_on,
        ("Decided", "Lawyer", "Code test"),
        lambda h: (_day(h.decided_at), str(h.lawyer), h.get_code_test_display() or "–"),
        lambda h: h.pk,
    ),
    HandoverList(
        "sent-with-items-missing",
        "Sent with protocol checklist items missing",
        ("charging request", "charging requests"),
        _sent_with_items_missing,
        ("Sent", "Sent by", "Missing", "Reason for sending"),
        lambda h: (_day(h.sent_at), str(h.sent_by), _missing_count(h), h.override_reason or "–"),
        lambda h: h.pk,
    ),
]
LISTS = {lst.key: lst for lst in LISTS_IN_ORDER}


def charging_figures(user, open_cases) -> list[Figure]:
    now = timezone.now()
    return [Figure(lst.label, lst.rows(open_cases, now).count(), lst.link()) for lst in LISTS_IN_ORDER]


SECTIONS = [
    DashboardSection(
        "charging-requests", "Charging requests on open cases", "Charging requests", charging_figures, "Number"
    ),
]
