"""Every completion rule refused with a reason, never a crash (issue 13): the stalking questions a DASH
yes calls for, even when the assessment was started without them; and the plan every grade needs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casework.services.people import party_add, person_create
from risk import services
from risk.models import RiskAssessment
from risk.questionnaires import builtin_forms_by_kind
from risk.scoring import completion_errors, plan_errors
from risk.tests.factories import plan_basics

FORMS = builtin_forms_by_kind()
DASH_NO = {q.key: {"answer": "no"} for q in FORMS["dash"].questions}
SUPPLEMENTARY_NO = {q.key: {"answer": "no"} for q in FORMS["stalking_supplementary"].questions}


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


@pytest.fixture
def dash_only(officer, case, victim):
    return services.risk_assessment_start(actor=officer, case=case, victim=victim, kinds=["dash"])


def test_it_refuses_rather_than_crashes_when_the_stalking_form_is_not_part_of_the_rules():
    answers = {key: value["answer"] for key, value in DASH_NO.items()} | {"dash_8": "yes"}
    errors = completion_errors(
        dash_answers=answers,
        supplementary_answers=None,
        sdash_answers=None,
        forms={"dash": FORMS["dash"]},
        grade="standard",
        has_plan=False,
    )
    assert list(errors) == ["stalking_supplementary"]
    assert "are not part of this assessment" in errors["stalking_supplementary"][0]
    assert completion_errors(
        dash_answers=None, supplementary_answers=None, sdash_answers=None, forms={}, grade="standard", has_plan=False
    ) == {"dash": ["No DASH form version is loaded: the DASH is required to complete a victim's risk assessment."]}


def test_a_draft_without_the_stalking_form_and_question_8_yes_is_refused_by_the_api(api_client, officer, dash_only):
    # A draft saved before the stalking form followed a yes: the rule still answers with a reason.
    RiskAssessment.objects.filter(pk=dash_only.pk).update(answers=DASH_NO | {"dash_8": {"answer": "yes"}}, version=2)
    api_client.force_login(officer)
    url = f"/api/v1/cases/{dash_only.case_id}/risk-assessments/{dash_only.pk}/actions/"
    refused = api_client.post(url, {"action": "complete", "version": 2, **_json(plan_basics())}, format="json")
    assert refused.status_code == 400
    assert "are not part of this assessment" in refused.json()["errors"]["stalking_supplementary"][0]
    dash_only.refresh_from_db()
    assert (dash_only.status, dash_only.version, dash_only.grade) == ("draft", 2, "")


def test_a_yes_to_question_8_brings_the_stalking_questions_into_a_dash_only_assessment(api_client, officer, dash_only):
    api_client.force_login(officer)
    url = f"/api/v1/cases/{dash_only.case_id}/risk-assessments/{dash_only.pk}/actions/"
    answers = DASH_NO | {"dash_8": {"answer": "yes"}}
    saved = api_client.post(url, {"action": "answer", "version": 1, "answers": answers}, format="json")
    assert saved.json()["forms"] == ["dash", "stalking_supplementary"]
    refused = api_client.post(url, {"action": "complete", "version": 2, **_json(plan_basics())}, format="json")
    assert refused.status_code == 400
    assert "not answered: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11" in refused.json()["errors"]["stalking_supplementary"][0]
    answered = api_client.post(url, {"action": "answer", "version": 2, "answers": SUPPLEMENTARY_NO}, format="json")
    assert answered.status_code == 200
    done = api_client.post(url, {"action": "complete", "version": 3, **_json(plan_basics())}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "completed"


def test_a_no_to_question_8_leaves_the_assessment_as_started(officer, dash_only):
    saved = services.risk_assessment_answer(actor=officer, assessment=dash_only, expected_version=1, answers=DASH_NO)
    assert [f.kind for f in saved.forms.all()] == ["dash"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("safety_advice", "Record the safety advice given to the victim"),
        ("contact_arrangement", "Record how and when the victim agreed to be contacted"),
        ("next_review_due", "Enter the date of the next risk review"),
    ],
)
def test_a_standard_grade_assessment_is_refused_without_each_part_of_its_plan(
    api_client, officer, dash_only, missing, message
):
    services.risk_assessment_answer(actor=officer, assessment=dash_only, expected_version=1, answers=DASH_NO)
    api_client.force_login(officer)
    url = f"/api/v1/cases/{dash_only.case_id}/risk-assessments/{dash_only.pk}/actions/"
    body = _json(plan_basics()) | {missing: None if missing == "next_review_due" else ""}
    refused = api_client.post(url, {"action": "complete", "version": 2, **body}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {missing: [message]}
    dash_only.refresh_from_db()
    assert (dash_only.status, dash_only.safety_advice, dash_only.next_review_due) == ("draft", "", None)


def test_a_standard_grade_assessment_completes_with_its_plan(officer, dash_only):
    services.risk_assessment_answer(actor=officer, assessment=dash_only, expected_version=1, answers=DASH_NO)
    basics = plan_basics(next_review_due=timezone.localdate() + timedelta(days=56))
    done = services.risk_assessment_complete(actor=officer, assessment=dash_only, expected_version=2, **basics)
    assert (done.status, done.grade, done.next_review_due) == ("completed", "standard", basics["next_review_due"])
    assert done.safety_advice.startswith("Keep the phone charged") and done.contact_arrangement


def test_the_review_date_is_refused_in_the_past_or_beyond_the_grades_interval():
    today = timezone.localdate()
    args = {"safety_advice": "x", "contact_arrangement": "y", "today": today, "longest_days": 56}
    assert plan_errors(next_review_due=today, **args) == {}
    assert plan_errors(next_review_due=today - timedelta(days=1), **args) == {
        "next_review_due": ["The next review must be today or later"]
    }
    assert plan_errors(next_review_due=today + timedelta(days=57), **args) == {
        "next_review_due": ["At this grade the next review must be within 56 days"]
    }


def test_the_page_refuses_completion_field_by_field_with_an_error_summary(client, officer, dash_only):
    client.force_login(officer)
    url = reverse("risk:assessment", args=[dash_only.case_id, dash_only.pk])
    answers = {key: value["answer"] for key, value in DASH_NO.items()}
    response = client.post(url, answers | {"version": 1, "complete": "1", "police_callouts_12m": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    for anchor in ("#id_safety_advice", "#id_contact_arrangement", "#id_next_review_due"):
        assert f'href="{anchor}"' in body
    dash_only.refresh_from_db()
    assert dash_only.status == "draft"
    basics = {k: str(v) for k, v in plan_basics().items()}
    done = client.post(url, answers | basics | {"version": 2, "complete": "1", "police_callouts_12m": "0"})
    assert done.status_code == 302
    assert "Keep the phone charged" in client.get(done.url).content.decode()


@pytest.fixture
def api_client():
    return APIClient()


def _json(fields: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()}
