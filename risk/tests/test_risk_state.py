"""Each case's stored grade and level (risk/state.py) follow its assessments and snapshots however they
are written, and the dashboard counts from them in the same queries at 3 and at 60 open cases."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.dashboard import extra_sections
from casework.tests.factories import CaseFactory
from risk.models import CaseRiskState, EscalationSnapshot
from risk.tests.test_dashboard import graded


def _state(case) -> tuple:
    row = CaseRiskState.objects.filter(case=case).first()
    return (row.grade, row.level) if row else (None, None)


def _snapshot(case, level: str, when=None) -> EscalationSnapshot:
    return EscalationSnapshot.objects.create(case=case, level=level, score=1, computed_at=when or timezone.now())


def test_the_state_is_the_latest_grade_and_level_and_follows_a_deletion(officer):
    case = CaseFactory(unit=officer.unit, officer=officer)
    assert _state(case) == (None, None)
    graded(case, "high", timezone.now() - timedelta(days=2))
    graded(case, "medium")
    first = _snapshot(case, "rising", timezone.now() - timedelta(days=1))
    assert _state(case) == ("medium", "rising")
    graded(case, "standard", timezone.now() - timedelta(days=5))  # completed earlier: not the latest
    latest = _snapshot(case, "critical")
    assert _state(case) == ("medium", "critical")
    latest.delete()
    assert _state(case) == ("medium", "rising")
    first.delete()
    assert _state(case) == ("medium", None)
    case.delete()  # its assessments and state go with it
    assert not CaseRiskState.objects.exists()


def _dashboard_queries(supervisor) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        figures = {section.key: [(f.label, f.count) for f in rows] for section, rows in extra_sections(supervisor)}
    return len(queries), figures


def test_the_risk_figures_cost_the_same_queries_at_3_and_60_open_cases(officer, supervisor):
    def add(n: int) -> None:
        for k in range(n):
            case = CaseFactory(unit=officer.unit, officer=officer)
            graded(case, ["standard", "medium", "high"][k % 3])
            _snapshot(case, ["none", "rising", "high", "critical"][k % 4])

    add(3)
    few, figures = _dashboard_queries(supervisor)
    assert dict(figures["cases-by-risk-grade"])["High"] == 1
    add(57)
    many, figures = _dashboard_queries(supervisor)
    assert few == many
    assert dict(figures["cases-by-risk-grade"]) == {"High": 20, "Medium": 20, "Standard": 20, "Not assessed": 0}
    assert dict(figures["cases-by-escalation"])["Critical"] == 14  # the 4th, 8th … of the 57
