import pytest
from rest_framework.test import APIClient

from casework.services.people import party_add, person_create
from risk.questionnaires import builtin_forms_by_kind


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


def test_the_dash_with_the_stalking_question_yes_is_refused_naming_the_missing_questions(api, officer, case, victim):
    api.force_login(officer)
    base = f"/api/v1/cases/{case.pk}/risk-assessments/"
    created = api.post(base, {"victim_id": victim.pk, "kinds": ["dash", "stalking_supplementary"]}, format="json")
    assert created.status_code == 201, created.json()
    answers = {q.key: {"answer": "no"} for q in builtin_forms_by_kind()["dash"].questions} | {
        "dash_8": {"answer": "yes"}
    }
    action = f"{base}{created.json()['id']}/actions/"
    saved = api.post(action, {"action": "answer", "version": 1, "answers": answers}, format="json")
    assert saved.status_code == 200 and saved.json()["answers"]["dash_8"]["answer"] == "yes"
    refused = api.post(action, {"action": "complete", "version": 2}, format="json")
    assert refused.status_code == 400
    assert "not answered: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11" in refused.json()["errors"]["stalking_supplementary"][0]


def test_forms_and_escalation_are_readable(api, officer, case):
    api.force_login(officer)
    kinds = {f["kind"] for f in api.get("/api/v1/risk/forms/").json()}
    assert kinds == {"dash", "stalking_supplementary", "sdash"}
    assert api.get(f"/api/v1/cases/{case.pk}/escalation/").json()["level"] == "none"
