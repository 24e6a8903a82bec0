from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.services.incidents import IncidentInput, incident_record


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def messages_case(officer, case):
    """Messages alone over two days: harassment, not malicious communications."""
    now = timezone.now()
    for hours in (50, 30, 2):
        incident_record(
            actor=officer, case=case, data=IncidentInput(occurred_at=now - timedelta(hours=hours), channel="text")
        )
    return case


def test_the_advice_endpoint_explains_itself_with_incidents(api, officer, messages_case):
    api.force_login(officer)
    advice = api.get(f"/api/v1/cases/{messages_case.pk}/recording-advice/").json()
    assert advice["course_of_conduct"] is True and advice["occasions"] == 3
    assert advice["suggestions"][0]["classification"] == "8L"
    assert all(r["incident_ids"] for r in advice["suggestions"][0]["reasons"] if "occasions" in r["text"])


def test_malicious_communications_with_a_course_of_conduct_comes_back_with_warnings(api, officer, messages_case):
    api.force_login(officer)
    url = f"/api/v1/cases/{messages_case.pk}/crime-records/"
    refused = api.post(url, {"offence": "mca_1988_s1", "rationale": "Abusive texts"}, format="json")
    assert refused.status_code == 400
    codes = [w["code"] for w in refused.json()["warnings"]]
    assert "malicious_communications_with_course_of_conduct" in codes
    assert "override_reason" in refused.json()["errors"]
    kept = api.post(
        url,
        {"offence": "mca_1988_s1", "rationale": "Abusive texts", "override_reason": "CPS advised MCA"},
        format="json",
    )
    assert kept.status_code == 201 and kept.json()["override_reason"] == "CPS advised MCA"
    assert api.get(url).json()[0]["classification"] == "8R"


def test_statistics_and_queue_are_for_registrars_and_supervisors(api, officer, registrar, messages_case):
    api.force_login(officer)
    assert api.get("/api/v1/recording/statistics/").status_code == 404
    api.force_login(registrar)
    assert api.get("/api/v1/recording/statistics/").json() == []
    assert api.get("/api/v1/recording/audit-queue/").json() == []


def test_secondary_stalking_records_can_be_found(api, officer, stranger, messages_case):
    from recording.services import crime_record_create

    crime_record_create(actor=officer, case=messages_case, offence="pha_1997_s2", rationale="Texts")
    crime_record_create(
        actor=officer,
        case=messages_case,
        offence="pha_1997_s2a",
        rationale="Also following",
        is_principal=False,
        override_reason="Recorded alongside",
    )
    api.force_login(officer)
    found = api.get("/api/v1/recording/records/?classification=8Q&principal=secondary").json()
    assert [r["case_reference"] for r in found["results"]] == [messages_case.reference]
    api.force_login(stranger)
    assert api.get("/api/v1/recording/records/?classification=8Q").json()["count"] == 0


def test_a_legacy_notice_is_history_on_the_timeline(api, officer, messages_case):
    from casework.models import TimelineEvent
    from casework.services.people import party_add, person_create

    suspect = person_create(actor=officer, first_name="Mark", last_name="Reeve")
    party_add(actor=officer, case=messages_case, person=suspect, role="suspect")
    api.force_login(officer)
    url = f"/api/v1/cases/{messages_case.pk}/legacy-notices/"
    body = {"recipient_id": suspect.pk, "notice_type": "pin", "issued_on": "2019-05-01", "issuing_force": "Avon"}
    assert api.post(url, body, format="json").status_code == 201
    assert api.post(url, body | {"issued_on": "2999-01-01"}, format="json").json()["errors"] == {
        "issued_on": ["The notice must have been issued in the past"]
    }
    summary = TimelineEvent.objects.get(case=messages_case, source_type="recording.legacywarningnotice").summary
    assert "no longer issued" in summary
