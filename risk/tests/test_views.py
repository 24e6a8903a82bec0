"""The risk pages: the case's risk tab, starting, answering, refusing, planning, completing and signing off."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.services.people import party_add, person_create
from risk import services
from risk.models import RiskAssessment
from risk.questionnaires import builtin_forms_by_kind
from risk.tests.factories import plan_basics


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim", relationship_to_suspect="ex_partner")
    return person


@pytest.fixture
def draft(officer, case, victim):
    return services.risk_assessment_start(
        actor=officer, case=case, victim=victim, kinds=["dash", "stalking_supplementary"]
    )


def _post_answers(kind: str, yes: int) -> dict:
    questions = builtin_forms_by_kind()[kind].questions
    return {q.key: "yes" if n < yes else "no" for n, q in enumerate(questions)}


def _url(name: str, assessment: RiskAssessment) -> str:
    return reverse(name, args=[assessment.case_id, assessment.pk])


def test_it_shows_the_risk_tab_with_the_start_form(client, officer, case, victim):
    client.force_login(officer)
    response = client.get(reverse("risk:case-risk", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Start an assessment" in body and "Jane Doe" in body
    assert body.count("checked") == 2  # DASH and the stalking questions ticked by default
    assert AuditEntry.objects.filter(action="consult", detail__contains="risk").exists()


def test_the_stranger_gets_404(client, stranger, draft):
    client.force_login(stranger)
    assert client.get(reverse("risk:case-risk", args=[draft.case_id])).status_code == 404
    assert client.get(_url("risk:assessment", draft)).status_code == 404
    assert client.post(_url("risk:sign-off", draft)).status_code == 404


def test_it_starts_an_assessment(client, officer, case, victim):
    client.force_login(officer)
    response = client.post(
        reverse("risk:assessment-start", args=[case.pk]),
        {"victim": victim.pk, "kinds": ["dash", "stalking_supplementary"]},
    )
    assessment = RiskAssessment.objects.get(case=case)
    assert response.status_code == 302 and response.url == _url("risk:assessment", assessment)
    assert sorted(assessment.forms.values_list("kind", flat=True)) == ["dash", "stalking_supplementary"]
    page = client.get(response.url).content.decode()
    assert 'id="id_dash_1_yes"' in page and 'id="id_sh_11_declined"' in page


def test_it_saves_answers_as_a_draft(client, officer, draft):
    client.force_login(officer)
    response = client.post(
        _url("risk:assessment", draft), {"version": 1, "dash_1": "yes", "dash_1_details": "Bruised arm", "save": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.version == 2
    assert draft.answers["dash_1"] == {"answer": "yes", "details": "Bruised arm"}
    page = client.get(response.url).content.decode()
    assert "Answers saved" in page and 'value="yes" checked' in page


def test_it_refuses_completion_without_stalking_questions(client, officer, draft):
    client.force_login(officer)
    data = _post_answers("dash", 15) | {"dash_8": "yes", "version": 1, "complete": "1", "police_callouts_12m": "0"}
    response = client.post(_url("risk:assessment", draft), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "not answered: 1, 2, 3" in body
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.answers["dash_8"]["answer"] == "yes"  # the answers were saved


def test_it_completes_with_a_plan_as_high(client, officer, draft):
    client.force_login(officer)
    data = _post_answers("dash", 15) | _post_answers("stalking_supplementary", 5) | {"version": 1}
    plan = {
        "risk": "DASH 8: following",
        "action": "Target-harden the home",
        "owner": "PC Shah",
        "due_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "add_action": "1",
    }
    response = client.post(_url("risk:plan-add", draft), data | plan)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.plan_actions.count() == 1 and draft.version == 2  # the answers were saved too
    basics = {k: str(v) for k, v in plan_basics().items()}
    response = client.post(_url("risk:assessment", draft), data | basics | {"version": 2, "complete": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.status, draft.grade, draft.marac_referral_required) == ("completed", "high", True)
    page = client.get(response.url).content.decode()
    assert "MARAC referral required" in page and "Target-harden the home" in page
    assert "Sign off" not in page  # the officer is no supervisor


def _completed(officer, draft):
    given = _post_answers("dash", 3) | _post_answers("stalking_supplementary", 0)
    answers = {k: {"answer": v} for k, v in given.items()}
    draft = services.risk_assessment_answer(actor=officer, assessment=draft, expected_version=1, answers=answers)
    return services.risk_assessment_complete(actor=officer, assessment=draft, expected_version=2, **plan_basics())


def test_a_supervisor_signs_off(client, officer, supervisor, draft):
    done = _completed(officer, draft)
    client.force_login(supervisor)
    assert "Sign off" in client.get(_url("risk:assessment", done)).content.decode()
    response = client.post(_url("risk:sign-off", done))
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.status == "signed_off" and done.signed_off_by == supervisor


def test_the_officer_cannot_sign_off(client, officer, draft):
    done = _completed(officer, draft)
    client.force_login(officer)
    response = client.post(_url("risk:sign-off", done))
    assert response.status_code == 400
    assert "Only a supervisor" in response.content.decode()
    done.refresh_from_db()
    assert done.status == "completed"


def test_the_case_page_shows_the_risk_panel(client, officer, draft):
    _completed(officer, draft)
    client.force_login(officer)
    body = client.get(reverse("casework:case-detail", args=[draft.case_id])).content.decode()
    assert "Latest grade" in body and "Standard" in body


def test_the_risk_tab_charts_the_trajectory(client, officer, draft):
    _completed(officer, draft)
    client.force_login(officer)
    body = client.get(reverse("risk:case-risk", args=[draft.case_id])).content.decode()
    assert 'role="img"' in body and "DASH yes answers over time" in body
    assert "app-risk-chart__point" in body and "Not required" in body


def test_answers_are_saved_as_you_go_by_htmx(client, officer, case):
    from casework.services.people import party_add, person_create
    from risk.services import risk_assessment_start

    victim = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=victim, role="victim")
    assessment = risk_assessment_start(actor=officer, case=case, victim=victim, kinds=["dash"])
    client.force_login(officer)
    url = f"/risk/cases/{case.pk}/assessments/{assessment.pk}/"
    response = client.post(url, {"version": 1, "dash_1": "yes", "autosave": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="version" value="2"' in response.text and "Draft saved at" in response.text
    assessment.refresh_from_db()
    assert assessment.answers["dash_1"]["answer"] == "yes" and assessment.status == "draft"
    stale = client.post(url, {"version": 1, "dash_2": "no", "autosave": "1"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409


def test_a_plan_action_is_marked_done_from_the_page(client, officer, stranger, case):
    from django.utils import timezone

    from casework.services.people import party_add, person_create
    from risk.services import risk_assessment_start, risk_plan_action_add

    victim = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=victim, role="victim")
    assessment = risk_assessment_start(actor=officer, case=case, victim=victim, kinds=["dash"])
    action = risk_plan_action_add(
        actor=officer, assessment=assessment, risk="Following", action="Alarm", owner="PC", due_on=timezone.localdate()
    )
    url = f"/risk/cases/{case.pk}/assessments/{assessment.pk}/plan/{action.pk}/done/"
    client.force_login(stranger)
    assert client.post(url).status_code == 404
    client.force_login(officer)
    page = client.get(f"/risk/cases/{case.pk}/assessments/{assessment.pk}/").text
    assert f'id="plan-done-{action.pk}"' in page
    assert client.post(url).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_the_dashboards_risk_figures_match_their_lists(client, officer, supervisor, case):
    import re

    from django.utils import timezone

    from casework.services.people import party_add, person_create
    from risk.models import EscalationSnapshot, RiskAssessment

    victim = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=victim, role="victim")
    RiskAssessment.objects.create(
        case=case, victim=victim, assessor=officer, status="completed", grade="high", completed_at=timezone.now()
    )
    EscalationSnapshot.objects.create(case=case, level="critical", score=20, computed_at=timezone.now())
    client.force_login(supervisor)
    page = client.get("/dashboard/").text
    for query, expected in [("grade=high", 1), ("grade=medium", 0), ("grade=none", 0), ("level=critical", 1)]:
        # A figure at zero is hidden on the dashboard; its list still answers, empty.
        assert (f"/risk/cases/?{query}" in page) == bool(expected)
        listed = client.get(f"/risk/cases/?{query}").text
        assert f"{expected} case" in listed
        assert len(re.findall(r'href="/risk/cases/\d+/"', listed)) == expected
    data = client.get("/api/v1/dashboard/").json()
    grades = {
        f["label"]: f["count"]
        for f in next(s for s in data["sections"] if s["key"] == "cases-by-risk-grade")["figures"]
    }
    assert grades["High"] == 1 and grades["Not assessed"] == 0
