"""Alerts: checks that find what was missed, and the sweep that raises and resolves alerts.

A check is a set-based query over the database state: "which cases are in this condition now, and
with what facts?". The sweep compares that with the open alerts of the check's kind: it raises the
new ones (the partial unique constraint makes a concurrent or repeated sweep harmless) and resolves
those whose condition has cleared. Because alerts are derived from state, a sweep that did not run
(Redis or the worker down) loses nothing: the next run raises everything.

Each app declares its checks in `<app>/alert_checks.py` as a `CHECKS` list; `all_checks()` collects
them. A check's query count does not depend on the number of cases.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.models import Alert


@dataclass(frozen=True)
class Check:
    kind: str
    severity: str
    audience: str
    # (now, case_ids or None for all) → {case_id: facts}; facts may carry "due_at" and "severity".
    find: Callable[[datetime, Iterable[int] | None], dict[int, dict]]


def all_checks() -> list[Check]:
    checks: list[Check] = []
    for app in apps.get_app_configs():
        try:
            module = import_module(f"{app.name}.alert_checks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.alert_checks":
                raise
            continue
        checks.extend(module.CHECKS)
    return checks


@dataclass(frozen=True)
class SweepResult:
    kind: str
    raised: int
    resolved: int
    open: int


def sweep(check: Check, *, now: datetime | None = None, case_ids: Iterable[int] | None = None) -> SweepResult:
    now = now or timezone.now()
    case_ids = list(case_ids) if case_ids is not None else None
    found = check.find(now, case_ids)
    open_alerts = Alert.objects.filter(kind=check.kind, resolved_at__isnull=True)
    if case_ids is not None:
        open_alerts = open_alerts.filter(case_id__in=case_ids)
    with transaction.atomic():
        open_severity = dict(open_alerts.values_list("case_id", "severity"))
        already_open = set(open_severity)
        cleared = already_open - found.keys()
        # A condition can worsen while its alert is open (a deadline approaching → missed).
        worsened: dict[str, list[int]] = {}
        for case_id in already_open & found.keys():
            severity = found[case_id].get("severity", check.severity)
            if severity != open_severity[case_id]:
                worsened.setdefault(severity, []).append(case_id)
        for severity, case_ids_now in worsened.items():
            Alert.objects.filter(kind=check.kind, resolved_at__isnull=True, case_id__in=case_ids_now).update(
                severity=severity
            )
        resolved = (
            Alert.objects.filter(kind=check.kind, resolved_at__isnull=True, case_id__in=cleared).update(resolved_at=now)
            if cleared
            else 0
        )
        new = [
            Alert(
                case_id=case_id,
                kind=check.kind,
                severity=facts.pop("severity", check.severity),
                audience=check.audience,
                due_at=facts.pop("due_at", None),
                facts=facts,
                raised_at=now,
            )
            for case_id, facts in ((cid, dict(f)) for cid, f in found.items())
            if case_id not in already_open
        ]
        # ignore_conflicts: a sweep running at the same moment may have raised the same alert.
        Alert.objects.bulk_create(new, ignore_conflicts=True)
        still_open = Alert.objects.filter(kind=check.kind, resolved_at__isnull=True).count()
    return SweepResult(check.kind, raised=len(new), resolved=resolved, open=still_open)


# Derived state other apps keep per case (risk: the escalation level), recomputed before a case's
# alerts are checked. Registered in the apps' ready(); each takes a case id.
_refreshers: list[Callable[[int], object]] = []


def register_refresher(refresh: Callable[[int], object]) -> None:
    if refresh not in _refreshers:
        _refreshers.append(refresh)


def case_refresh(case_id: int) -> list[SweepResult]:
    """After a change to a case: recompute what derives from its timeline, then check its alerts."""
    for refresh in _refreshers:
        refresh(case_id)
    return sweep_all(case_ids=[case_id])


def sweep_all(*, now: datetime | None = None, case_ids: Iterable[int] | None = None) -> list[SweepResult]:
    now = now or timezone.now()
    case_ids = list(case_ids) if case_ids is not None else None
    return [sweep(check, now=now, case_ids=case_ids) for check in all_checks()]


def visible_alerts(queryset, now: datetime):
    """Open alerts that are not snoozed."""
    return queryset.filter(resolved_at__isnull=True).filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
