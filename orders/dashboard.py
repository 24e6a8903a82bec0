"""Protection's figures on the supervisor's dashboard, and the lists behind them.

Each figure is `rows(open_cases, now).count()` and its list (orders/views/lists.py) shows
`rows(open_cases, now)` itself, so the number and the list cannot disagree. The row sets the alerts
also use come from orders/alert_checks.py."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from casework.dashboard import DashboardSection, Figure
from orders import choices as c
from orders.alert_checks import expiring_bail, expiring_orders, overdue_notices, unreviewed_routes
from orders.lifecycle import add_months
from orders.models import Breach, SearchWarrant

BREACH_DAYS = 30
WARRANT_MONTHS = 12


def _day(day: date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "–"


@dataclass(frozen=True)
class ProtectionList:
    key: str
    label: str  # the figure's label and the list's heading
    nouns: tuple[str, str]  # what one row is, and several
    tab: str  # the case page where a row is dealt with
    rows: Callable[[QuerySet, datetime], QuerySet]  # (the user's open cases, now) → the rows
    columns: tuple[str, ...]
    cells: Callable[[Any], tuple[str, ...]]

    def link(self) -> str:
        return f"{reverse('orders:protection-list')}?{urlencode({'show': self.key})}"


def _orders_expiring(cases, now: datetime) -> QuerySet:
    return expiring_orders(timezone.localdate(now)).filter(case__in=cases).order_by("expires_on", "pk")


def _bail_expiring(cases, now: datetime) -> QuerySet:
    return expiring_bail(timezone.localdate(now)).filter(case__in=cases).order_by("bail_end", "pk")


def _recent_breaches(cases, now: datetime) -> QuerySet:
    since = now - timedelta(days=BREACH_DAYS)
    breaches = Breach.objects.filter(case__in=cases, incident__occurred_at__gte=since)
    return breaches.select_related("incident", "order").order_by("-incident__occurred_at", "-pk")


def _routes_awaiting_review(cases, now: datetime) -> QuerySet:
    return unreviewed_routes().filter(case__in=cases).order_by("occurred_on", "pk")


def _victims_not_told(cases, now: datetime) -> QuerySet:
    notices = overdue_notices(timezone.localdate(now)).filter(case__in=cases)
    return notices.select_related("victim").order_by("due_on", "pk")


def _warrants(cases, now: datetime, status: list[str] | None, field: str) -> QuerySet:
    """Warrants of the cases whose `field` date falls in the last twelve months."""
    since = add_months(timezone.localdate(now), -WARRANT_MONTHS)
    warrants = SearchWarrant.objects.filter(case__in=cases, **{f"{field}__gt": since})
    if status is not None:
        warrants = warrants.filter(status__in=status)
    return warrants.order_by(f"-{field}", "-pk")


def _breach_cells(b: Breach) -> tuple[str, ...]:
    of = b.order.get_order_type_display() if b.order_id else "Bail conditions"
    return of, _day(timezone.localdate(b.incident.occurred_at)), b.get_substantive_decision_display()


def _warrant_cells(w: SearchWarrant) -> tuple[str, ...]:
    return _day(w.applied_on), w.get_status_display(), _day(w.decided_on), _day(w.executed_on)


def _warrant_list(key: str, label: str, status: list[str] | None, field: str) -> ProtectionList:
    return ProtectionList(
        f"warrants-{key}",
        label,
        ("warrant", "warrants"),
        "orders:case-routes",
        lambda cases, now: _warrants(cases, now, status, field),
        ("Applied for", "Status", "Decided", "Executed"),
        _warrant_cells,
    )


PROTECTION = [
    ProtectionList(
        "orders-expiring",
        "Orders expiring or past their expiry",
        ("order", "orders"),
        "orders:case-protection",
        _orders_expiring,
        ("Order", "Status", "Expires"),
        lambda o: (o.get_order_type_display(), o.get_status_display(), _day(o.expires_on)),
    ),
    ProtectionList(
        "bail-expiring",
        "Bail ending or past its end",
        ("bail", "bail"),
        "orders:case-routes",
        _bail_expiring,
        ("Route", "Bail ends", "Authorised by"),
        lambda r: (r.get_route_display(), _day(r.bail_end), r.get_bail_authority_display() or "–"),
    ),
    ProtectionList(
        "breaches",
        f"Breaches in the last {BREACH_DAYS} days",
        ("breach", "breaches"),
        "orders:case-protection",
        _recent_breaches,
        ("Breach of", "When", "Further offence considered"),
        _breach_cells,
    ),
    ProtectionList(
        "routes-awaiting-review",
        "No bail conditions: awaiting supervisor review",
        ("route", "routes"),
        "orders:case-routes",
        _routes_awaiting_review,
        ("Route", "On", "Officer's reason"),
        lambda r: (r.get_route_display(), _day(r.occurred_on), r.unprotected_reason or "–"),
    ),
    ProtectionList(
        "victims-not-told",
        "Victim not told of an order or bail change in time",
        ("notice", "notices"),
        "orders:case-protection",
        _victims_not_told,
        ("Victim", "To be told of", "Due"),
        lambda n: (str(n.victim), n.get_event_display(), _day(n.due_on)),
    ),
]
# A granted warrant stays counted as granted once executed or left to expire.
WARRANTS = [
    _warrant_list("applied", "Applied for", None, "applied_on"),
    _warrant_list(
        "granted",
        "Granted",
        [c.WarrantStatus.GRANTED, c.WarrantStatus.EXECUTED, c.WarrantStatus.NOT_EXECUTED],
        "decided_on",
    ),
    _warrant_list("refused", "Refused", [c.WarrantStatus.REFUSED], "decided_on"),
    _warrant_list("executed", "Executed", [c.WarrantStatus.EXECUTED], "executed_on"),
]

LISTS = {lst.key: lst for lst in [*PROTECTION, *WARRANTS]}


def _figures(lists: list[ProtectionList], open_cases) -> list[Figure]:
    now = timezone.now()
    return [Figure(lst.label, lst.rows(open_cases, now).count(), lst.link()) for lst in lists]


def protection_figures(user, open_cases) -> list[Figure]:
    return _figures(PROTECTION, open_cases)


def warrant_figures(user, open_cases) -> list[Figure]:
    return _figures(WARRANTS, open_cases)


SECTIONS = [
    DashboardSection("protection", "Protection on open cases", "Protection", protection_figures, "Number"),
    DashboardSection(
        "search-warrants",
        f"Search warrants (s.2B) in the last {WARRANT_MONTHS} months",
        "Warrants",
        warrant_figures,
        "Warrants",
    ),
]
