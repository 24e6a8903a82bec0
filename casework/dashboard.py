"""The supervisor's figures: each is a count with the list it comes from, in a fixed number of queries.

Every figure is counted from the same selector its list page uses (`case_list_for_user`,
`alerts_for_user`) with the same filters its link carries, so the number on the dashboard is the
number of rows the link shows.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from casework.choices import AlertAudience, AlertKind, CaseStage
from casework.selectors import alerts_for_user, case_list_for_user

# The flags the case list filters on (casework.forms.cases.CaseListForm.flag).
FLAGS = {
    "is_stalking": "Stalking",
    "is_harassment": "Harassment",
    "is_domestic_abuse": "Domestic abuse",
    "is_repeat_victim": "Repeat victim",
    "is_repeat_suspect": "Repeat suspect",
}
OPEN_STAGES = [stage for stage in CaseStage if stage != CaseStage.FINALISED]


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    link: str


def _cases_link(**params: str) -> str:
    return f"{reverse('casework:case-list')}?{urlencode({'scope': 'unit', 'status': 'open', **params})}"


def _alerts_link(**params: str) -> str:
    return f"{reverse('casework:alert-list')}?{urlencode({'state': 'open', **params})}"


def _officer_name(row: dict) -> str:
    return f"{row['officer__first_name']} {row['officer__last_name']}".strip() or row["officer__username"]


def dashboard_figures(user: User, *, now: datetime | None = None) -> dict[str, list[Figure]]:
    """Open cases by stage and by flag, alerts overdue (or urgent with no due time) by kind, and each
    officer's open cases and open alerts, over the cases the user may see (their unit; a registrar's force)."""
    now = now or timezone.now()
    cases = case_list_for_user(user, status="open").order_by()
    stage_counts = dict(cases.values_list("stage").annotate(n=Count("id")))
    flag_counts = cases.aggregate(**{flag: Count("id", filter=Q(**{flag: True})) for flag in FLAGS})
    overdue = alerts_for_user(user, overdue=True, now=now).order_by()
    by_kind = dict(overdue.values_list("kind").annotate(n=Count("id")))
    workload = list(
        cases.values("officer_id", "officer__first_name", "officer__last_name", "officer__username")
        .annotate(open_cases=Count("id"))
        .order_by("-open_cases", "officer__last_name", "officer__username")
    )
    open_alerts = alerts_for_user(user, now=now).order_by()
    alerts_by_officer = dict(open_alerts.values_list("case__officer_id").annotate(n=Count("id")))
    return {
        "cases_by_stage": [
            Figure(stage.label, stage_counts.get(stage.value, 0), _cases_link(stage=stage.value))
            for stage in OPEN_STAGES
        ],
        "cases_by_flag": [Figure(label, flag_counts[flag], _cases_link(flag=flag)) for flag, label in FLAGS.items()],
        "overdue_alerts": [
            Figure(kind.label, by_kind.get(kind.value, 0), _alerts_link(kind=kind.value, overdue="1"))
            for kind in AlertKind
        ],
        # The two workload lists run in the same order, one row per officer with open cases.
        "officer_open_cases": [
            Figure(_officer_name(row), row["open_cases"], _cases_link(officer=row["officer__username"]))
            for row in workload
        ],
        "officer_open_alerts": [
            Figure(
                _officer_name(row),
                alerts_by_officer.get(row["officer_id"], 0),
                _alerts_link(officer=row["officer__username"]),
            )
            for row in workload
        ],
    }


@dataclass(frozen=True)
class DashboardSection:
    """Figures another app adds to the dashboard (risk: cases by grade and by escalation level).
    `figures(user, open_cases)` counts over the same open cases and links to lists that show them."""

    key: str
    caption: str
    what: str
    figures: Callable[..., list[Figure]]
    unit: str = "Cases"  # what the figures count (protection counts orders, breaches, warrants)
    # `attention(user, open_cases)`: the figures of the section that lead the dashboard as "needs attention today".
    attention: Callable[..., list[Figure]] | None = None


@dataclass(frozen=True)
class FigureList:
    """A figure of another app's section and the list behind it (casework.views.dashboard.figure_list):
    the figure is `rows(open_cases, now).count()` and the list shows `rows(open_cases, now)` itself,
    so the number and the list cannot disagree."""

    key: str  # unique across apps: the list's address is ?show=<key>
    label: str  # the figure's label and the list's heading
    nouns: tuple[str, str]  # what one row is, and several
    rows: Callable[[QuerySet, datetime], QuerySet]  # (the user's open cases, now) → rows with a `case`
    columns: tuple[str, ...]
    cells: Callable[[Any], tuple[str, ...]]
    row_link: Callable[[Any], str]  # where the row is dealt with

    def link(self) -> str:
        return f"{reverse('casework:figure-list')}?{urlencode({'show': self.key})}"

    def figure(self, open_cases: QuerySet, now: datetime) -> Figure:
        return Figure(self.label, self.rows(open_cases, now).count(), self.link())


_lists: dict[str, FigureList] = {}


def register_lists(*lists: FigureList) -> None:
    for figure_list in lists:
        if _lists.setdefault(figure_list.key, figure_list) is not figure_list:
            raise ValueError(f"Two dashboard lists are called {figure_list.key!r}")


def registered_list(key: str) -> FigureList | None:
    return _lists.get(key)


_sections: list[DashboardSection] = []


def register_section(section: DashboardSection) -> None:
    if section.key not in {s.key for s in _sections}:
        _sections.append(section)


def extra_sections(user: User) -> list[tuple[DashboardSection, list[Figure]]]:
    open_cases = case_list_for_user(user, status="open").order_by()
    return [(section, section.figures(user, open_cases)) for section in _sections]


# Whose decision an alert waits for, by role (as casework.notifications mails it).
DECIDES = {Role.SUPERVISOR: AlertAudience.SUPERVISOR, Role.REGISTRAR: AlertAudience.REGISTRAR}


def needs_attention(user: User, figures: dict[str, list[Figure]], *, now: datetime | None = None) -> list[Figure]:
    """What the dashboard leads with, only the figures that are not zero: the sections' most serious cases
    (critical and high escalation, high risk), the alerts overdue or urgent, and those awaiting her decision."""
    now = now or timezone.now()
    open_cases = case_list_for_user(user, status="open").order_by()
    found = [figure for section in _sections if section.attention for figure in section.attention(user, open_cases)]
    found.append(
        Figure("Alerts overdue or urgent", sum(f.count for f in figures["overdue_alerts"]), _alerts_link(overdue="1"))
    )
    if audience := DECIDES.get(user.role):
        waiting = alerts_for_user(user, audience=audience, now=now).order_by().count()
        found.append(Figure("Awaiting your decision", waiting, _alerts_link(audience=audience)))
    return [figure for figure in found if figure.count]


def figures_as_data(figures: dict[str, list[Figure]]) -> dict[str, list[dict]]:
    return {name: [asdict(figure) for figure in rows] for name, rows in figures.items()}
