"""The advocate's API (casework/api_care.py): the list, the victim-safe view as JSON, the safety plan and
passing on an incident; the same rules and the same 404s as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import AuditAction
from accounts.models import AuditEntry
from casework.choices import Channel, IdentifierKind, PassedOnStatus
from casework.models import Incident, PassedOnIncident, PersonIdentifier, SafetyPlanItem
from casework.tests import test_care_services as shared
from casework.tests.factories import IncidentFactory

victim, other_victim, referral, other_advocate = (
    shared.victim, shared.other_victim, shared.referral, shared.other_advocate,
)  # fmt: skip


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_it_lists_the_advocates_referred_victims(api, advocate, case, victim, referral):
    response = _as(api, advocate).get("/api/v1/care/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["case_id"], row["victim_id"], row["victim"]) == (case.pk, victim.pk, "Jane Doe")
    assert (row["open_safety_items"], row["passed_on_awaiting"]) == (0, 0)


def test_the_list_is_for_advocates_only(api, officer):
    assert _as(api, officer).get("/api/v1/care/").status_code == 404


def test_it_gives_the_victim_safe_view_and_nothing_more(api, advocate, case, victim, other_victim, referral):
    PersonIdentifier.objects.create(
        person=victim,
        kind=IdentifierKind.ADDRESS,
        value="1 Secret Row",
        normalised="1 secret row",
        sealed=True,
        case=case,
    )
    IncidentFactory(case=case, victim=victim, narrative="Police intelligence about him", count=5)
    IncidentFactory(case=case, victim=other_victim, narrative="Hers")
    response = _as(api, advocate).get(f"/api/v1/care/cases/{case.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert [v["name"] for v in data["victims"]] == ["Jane Doe"]
    [hers] = data["victims"]
    assert hers["contact_details"] == [{"kind": "address", "kind_label": "Address", "value": None, "withheld": True}]
    assert [(i["channel"], i["count"]) for i in hers["incidents"]] == [(Channel.TEXT, 5)]
    text = response.content.decode()
    for hidden in ["Secret Row", "Police intelligence", "narrative", "Olivia", "answers"]:
        assert hidden not in text, hidden
    assert AuditEntry.objects.filter(action=AuditAction.CONSULT, object_type="casework.case", detail__contains="API")


def test_it_answers_404_to_an_advocate_of_another_organisation(api, other_advocate, case, victim, referral):
    assert _as(api, other_advocate).get(f"/api/v1/care/cases/{case.pk}/").status_code == 404
    response = _as(api, other_advocate).post(
        f"/api/v1/care/cases/{case.pk}/safety-plan/", {"victim_id": victim.pk, "risk": "r", "measure": "m"}
    )
    assert response.status_code == 404
    assert not SafetyPlanItem.objects.exists()


def test_it_adds_a_measure_and_marks_it_done_once(api, advocate, case, victim, referral):
    client = _as(api, advocate)
    response = client.post(
        f"/api/v1/care/cases/{case.pk}/safety-plan/",
        {"victim_id": victim.pk, "risk": "He follows her", "measure": "Taxi account", "owner": "the advocate"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    item_id = response.json()["id"]
    done = client.post(f"/api/v1/care/safety-plan/{item_id}/done/", {}, format="json")
    assert done.status_code == 200
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    again = client.post(f"/api/v1/care/safety-plan/{item_id}/done/", {}, format="json")
    assert again.status_code == 409
    assert "already marked done" in again.json()["errors"]["non_field_errors"][0]


def test_a_refused_measure_answers_with_field_errors(api, advocate, case, victim, other_victim, referral):
    client = _as(api, advocate)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/api/v1/care/cases/{case.pk}/safety-plan/",
        {"victim_id": victim.pk, "risk": "r", "measure": "m", "review_on": past},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"review_on": ["The review date must be today or later"]}
    response = client.post(
        f"/api/v1/care/cases/{case.pk}/safety-plan/",
        {"victim_id": other_victim.pk, "risk": "r", "measure": "m"},
        format="json",
    )
    assert response.status_code == 400
    assert "victim_id" in response.json()["errors"]
    assert not SafetyPlanItem.objects.exists()


def test_it_passes_on_an_incident_awaiting_review(api, advocate, case, victim, referral):
    response = _as(api, advocate).post(
        f"/api/v1/care/cases/{case.pk}/passed-on/",
        {
            "victim_id": victim.pk,
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "channel": Channel.PHONE_CALL,
            "count": 2,
            "account": "Two silent calls",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == PassedOnStatus.AWAITING
    assert PassedOnIncident.objects.get().account == "Two silent calls"
    assert not Incident.objects.exists()


def test_a_passed_on_incident_in_the_future_is_refused(api, advocate, case, victim, referral):
    response = _as(api, advocate).post(
        f"/api/v1/care/cases/{case.pk}/passed-on/",
        {
            "victim_id": victim.pk,
            "occurred_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "channel": Channel.TEXT,
            "count": 1,
            "account": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()["errors"]
    assert not PassedOnIncident.objects.exists()
