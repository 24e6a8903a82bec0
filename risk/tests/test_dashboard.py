"""The dashboard's high-risk open cases by officer, each linked to risk's case list for that officer."""

import re
from datetime import timedelta

from django.utils import timezone

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from casework.choices import CaseStage, OutcomeCode
from casework.dashboard import extra_sections
from casework.tests.factories import CaseFactory, PersonFactory
from risk.models import RiskAssessment


def graded(case, grade: str, when=None) -> None:
    RiskAssessment.objects.create(
        case=case, victim=PersonFactory(), assessor=case.officer, status="completed", grade=grade,
        completed_at=when or timezone.now(),
    )  # fmt: skip


def test_each_officers_high_risk_open_cases_match_their_list(client, officer, supervisor, stranger):
    second = UserFactory(username="officer2", role=Role.OFFICER, unit=officer.unit, first_name="Tom", last_name="Ng")
    for _ in range(2):
        graded(CaseFactory(unit=officer.unit, officer=officer), "high")
    # Graded high once, medium since: its latest grade is medium.
    regraded = CaseFactory(unit=officer.unit, officer=officer)
    graded(regraded, "high", timezone.now() - timedelta(days=3))
    graded(regraded, "medium")
    graded(CaseFactory(unit=officer.unit, officer=second), "standard")
    closed = CaseFactory(
        unit=officer.unit, officer=second, stage=CaseStage.FINALISED, outcome_code=OutcomeCode.choices[0][0]
    )
    graded(closed, "high")
    graded(CaseFactory(unit=stranger.unit, officer=stranger), "high")

    (figures,) = [figures for section, figures in extra_sections(supervisor) if section.key == "high-risk-by-officer"]
    assert [(f.label, f.count) for f in figures] == [("Priya Shah", 2), ("Tom Ng", 0)]
    client.force_login(supervisor)
    for figure in figures:
        assert "grade=high" in figure.link and "officer=" in figure.link
        listed = client.get(figure.link).text
        assert len(re.findall(r'href="/risk/cases/\d+/"', listed)) == figure.count
        assert f"{figure.count} case" in listed
    assert "Open cases of Priya Shah: high risk" in client.get(figures[0].link).text
    assert "High-risk open cases by officer" in client.get("/dashboard/").text


def test_the_risk_list_without_an_officer_lists_every_officers_cases(client, officer, supervisor):
    second = UserFactory(username="officer2", role=Role.OFFICER, unit=officer.unit)
    graded(CaseFactory(unit=officer.unit, officer=officer), "high")
    graded(CaseFactory(unit=officer.unit, officer=second), "high")
    client.force_login(supervisor)
    assert "2 cases" in client.get("/risk/cases/?grade=high").text
    assert "0 cases" in client.get("/risk/cases/?grade=high&officer=nobody").text
