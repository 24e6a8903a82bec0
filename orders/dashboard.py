"""Protection's figures on the supervisor's dashboard, and the lists behind them.

Each figure is a casework.dashboard.FigureList: its count and its list (casework's figure-list page)
come from the same `rows(open_cases, now)`, so the number and the list cannot disagree. The row sets the alerts
also use come from orders/alert_checks.py."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from casework.dashboard import DashboardSection, Figure, FigureList
from orders import choices as c
from orders.alert_checks import expiring_bail, expiring_orders, overdue_notices, unreviewed_routes
from orders.lifecycle import add_months
from orders.models import Breach, SearchWarrant

BREACH_DAYS = 30
WARRANT_MONTHS = 12


def _day(day: date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "–"


def _on_case_page(url_name: str) -> Callable[[Any], str]:
    """Where a row is dealt with: a page of its case."""
    return lambda row: reverse(url_name, args=[row.case_id])


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


def _warrant_list(key: str, label: str, status: list[str] | None, field: str) -> FigureList:
    return FigureList(
        f"warrants-{key}",
        label,
        ("warrant", "warrants"),
        lambda cases, now: _warrants(cases, now, status, field),
        ("Applied for", "Status", "Decided", "Executed"),
        _warrant_cells,
        _on_case_page("orders:case-routes"),
    )


PROTECTION = [
    FigureList(
        "orders-expiring",
        "Orders expiring or past their expiry",
        ("order", "orders"),
        _orders_expiring,
        ("Order", "Status", "Expires"),
        lambda o: (o.get_order_type_display(), o.get_status_display(), _day(o.expires_on)),
        _on_case_page("orders:case-protection"),
    ),
    FigureList(
        "bail-expiring",
        "Bail ending or past its end",
        ("bail", "bail"),
        _bail_expiring,
        ("Route", "Bail ends", "Authorised by"),
        lambda r: (r.get_route_display(), _day(r.bail_end), r.get_bail_authority_display() or "–"),
        _on_case_page("orders:case-routes"),
    ),
    FigureList(
        "breaches",
        f"Breaches in the last {BREACH_DAYS} days",
        ("breach", "breaches"),
        _recent_breaches,
        ("Breach of", "When", "Further offence considered"),
        _breach_cells,
        _on_case_page("orders:case-protection"),
    ),
    FigureList(
        "routes-awaiting-review",
        "No bail conditions: awaiting supervisor review",
        ("route", "routes"),
        _routes_awaiting_review,
        ("Route", "On", "Officer's reason"),
        lambda r: (r.get_route_display(), _day(r.occurred_on), r.unprotected_reason or "–"),
        _on_case_page("orders:case-routes"),
    ),
    FigureList(
        "victims-not-told",
        "Victim not told of an order or bail change in time",
        ("notice", "notices"),
        _victims_not_told,
        ("Victim", "To be told of", "Due"),
        lambda n: (str(n.victim), n.get_event_display(), _day(n.due_on)),
        _on_case_page("orders:case-protection"),
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


def _figures(lists: list[FigureList], open_cases) -> list[Figure]:
    now = timezone.now()
    return [lst.figure(open_cases, now) for lst in lists]


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
