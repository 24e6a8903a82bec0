"""Risk's figures on the supervisor's dashboard: open cases by latest grade and by escalation level, and
each officer's open cases graded high.

Each figure counts the same annotated cases that its list (`risk:case-list`) shows."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from casework.dashboard import DashboardSection, Figure
from risk.choices import EscalationLevel, Grade
from risk.selectors import NOT_ASSESSED, with_latest_risk


def _link(**params: str) -> str:
    return f"{reverse('risk:case-list')}?{urlencode(params)}"


def _counts(open_cases, field: str) -> dict:
    """How many open cases have each value, counted by the database (not 100,000 rows sent to Python)."""
    return dict(with_latest_risk(open_cases).order_by().values_list(field).annotate(n=Count("pk")))


def cases_by_grade(user, open_cases) -> list[Figure]:
    counts = _counts(open_cases, "risk_grade")
    figures = [Figure(grade.label, counts.get(grade.value, 0), _link(grade=grade.value)) for grade in reversed(Grade)]
    return [*figures, Figure("Not assessed", counts.get(None, 0), _link(grade=NOT_ASSESSED))]


def cases_by_escalation(user, open_cases) -> list[Figure]:
    counts = _counts(open_cases, "escalation_level")
    return [
        Figure(level.label, counts.get(level.value, 0) + (counts.get(None, 0) if level == EscalationLevel.NONE else 0),
               _link(level=level.value))
        for level in reversed(EscalationLevel)
    ]  # fmt: skip


def high_risk_by_officer(user, open_cases) -> list[Figure]:
    """Every officer with an open case, and how many of their open cases are graded high."""
    officers = (
        with_latest_risk(open_cases)
        .values("officer__username", "officer__first_name", "officer__last_name")
        .annotate(high=Count("id", filter=Q(risk_grade=Grade.HIGH)))
        .order_by("-high", "officer__last_name", "officer__username")
    )
    return [
        Figure(
            f"{row['officer__first_name']} {row['officer__last_name']}".strip() or row["officer__username"],
            row["high"],
            _link(grade=Grade.HIGH, officer=row["officer__username"]),
        )
        for row in officers
    ]


def most_serious(user, open_cases) -> list[Figure]:
    """The cases that lead the dashboard: critical and high escalation, and graded high."""
    escalation = {figure.label: figure for figure in cases_by_escalation(user, open_cases)}
    grade = {figure.label: figure for figure in cases_by_grade(user, open_cases)}
    pick = [
        ("Critical escalation", escalation[EscalationLevel.CRITICAL.label]),
        ("High escalation", escalation[EscalationLevel.HIGH.label]),
        ("High risk", grade[Grade.HIGH.label]),
    ]
    return [Figure(label, figure.count, figure.link) for label, figure in pick]


SECTIONS = [
    DashboardSection("cases-by-risk-grade", "Open cases by latest risk grade", "Grade", cases_by_grade),
    DashboardSection(
        "cases-by-escalation",
        "Open cases by escalation level",
        "Escalation",
        cases_by_escalation,
        attention=most_serious,
    ),
    DashboardSection("high-risk-by-officer", "High-risk open cases by officer", "Officer", high_risk_by_officer),
]
