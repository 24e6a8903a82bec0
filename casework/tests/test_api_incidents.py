from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import Incident, IncidentBatch, TimelineEvent


@pytest.fixture
def victim(officer, case):
    from casework.services.people import party_add, person_create

    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim", relationship_to_suspect="ex_partner")
    return person


def _iso(delta: timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def test_an_incident_is_recorded_and_appears_on_the_timeline(api, officer, case, victim):
    body = {
        "occurred_at": _iso(-timedelta(hours=3)),
        "channel": "loitering",
        "place": "victim_work",
        "behaviours": ["loitering", "watching"],
        "threats": ["kill"],
        "victim_id": victim.pk,
        "narrative": "Waiting outside her office",
    }
    response = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    event = TimelineEvent.objects.get(case=case, kind="incident")
    assert event.summary == "Loitering, following or watching at victim's work; threats: kill"
    assert AuditEntry.objects.filter(object_type="casework.incident", action="collect").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"occurred_at": _iso(timedelta(days=1))}, "occurred_at", "When it happened must not be in the future"),
        (
            {"occurred_until": _iso(-timedelta(days=3))},
            "occurred_until",
            "The end of the range must be after its start",
        ),
        ({"reported_at": _iso(-timedelta(days=5))}, "reported_at", "It cannot have been reported before it happened"),
        ({"channel": "carrier_pigeon"}, "channel", '"carrier_pigeon" is not a valid choice.'),
        ({"count": 0}, "count", "The number of contacts must be 1 or more"),
        ({"victim_id": 999999}, "victim_id", "Choose a victim in this case"),
    ],
)
def test_bad_incidents_get_a_specific_error_and_save_nothing(api, officer, case, victim, change, field, message):
    body = {"occurred_at": _iso(-timedelta(days=2)), "channel": "text"} | change
    response = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Incident.objects.exists()


def test_a_batch_of_one_thousand_messages_is_atomic_and_idempotent(api, officer, case, victim):
    start = timezone.now() - timedelta(days=2)
    rows = [
        {"occurred_at": (start + timedelta(minutes=n)).isoformat(), "channel": "text", "victim_id": victim.pk}
        for n in range(1000)
    ]
    url = f"/api/v1/cases/{case.pk}/incidents/batch/"
    first = api.as_user(officer).post(url, {"client_key": "phone-export-1", "incidents": rows}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["incident_count"] == 1000 and first.json()["created"] is True
    retry = api.as_user(officer).post(url, {"client_key": "phone-export-1", "incidents": rows}, format="json")
    assert retry.status_code == 200 and retry.json()["created"] is False
    assert Incident.objects.filter(case=case).count() == 1000
    assert TimelineEvent.objects.filter(case=case, kind="incident").count() == 1000
    assert IncidentBatch.objects.count() == 1


def test_a_batch_with_one_bad_row_saves_nothing_and_names_the_row(api, officer, case, victim):
    rows = [{"occurred_at": _iso(-timedelta(hours=n + 1)), "channel": "text"} for n in range(5)]
    rows[3]["occurred_at"] = _iso(timedelta(days=2))
    response = api.as_user(officer).post(
        f"/api/v1/cases/{case.pk}/incidents/batch/", {"client_key": "k", "incidents": rows}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["rows"] == ["Row 4: occurred_at: When it happened must not be in the future"]
    assert not Incident.objects.exists() and not IncidentBatch.objects.exists()


def test_a_count_stands_for_many_contacts(api, officer, case, victim):
    body = {
        "occurred_at": _iso(-timedelta(hours=10)),
        "occurred_until": _iso(-timedelta(hours=1)),
        "channel": "text",
        "count": 43,
        "victim_id": victim.pk,
    }
    api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")
    assert TimelineEvent.objects.get(case=case, kind="incident").count == 43


def test_a_stale_incident_edit_is_refused_with_409(api, officer, supervisor, case, victim):
    created = (
        api.as_user(officer)
        .post(
            f"/api/v1/cases/{case.pk}/incidents/",
            {"occurred_at": _iso(-timedelta(days=1)), "channel": "text"},
            format="json",
        )
        .json()
    )
    url = f"/api/v1/cases/{case.pk}/incidents/{created['id']}/"
    edit = {"occurred_at": created["occurred_at"], "channel": "email", "version": 1}
    assert api.as_user(officer).put(url, edit, format="json").status_code == 200
    stale = api.as_user(supervisor).put(url, edit | {"channel": "letter"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    assert Incident.objects.get().channel == "email"
    assert TimelineEvent.objects.get(case=case, kind="incident").channel == "email"


def test_incidents_list_is_cursor_paginated(api, officer, case):
    from casework.tests.factories import IncidentFactory

    for n in range(60):
        IncidentFactory(case=case, occurred_at=timezone.now() - timedelta(hours=n + 1))
    first = api.as_user(officer).get(f"/api/v1/cases/{case.pk}/incidents/").json()
    assert len(first["results"]) == 50 and first["next"]
    second = api.as_user(officer).get(first["next"]).json()
    assert len(second["results"]) == 10 and second["next"] is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"occurred_at": "yesterday", "channel": "text"}, "Row 1: occurred_at: Enter a date and time such as"),
        ({"channel": "text"}, "Row 1: occurred_at: Enter when it happened"),
        ({"occurred_at": "2026-01-01T10:00:00Z", "channel": "text", "count": "3"}, "Row 1: count: Give a whole number"),
        (
            {"occurred_at": "2026-01-01T10:00:00Z", "channel": "text", "colour": "red"},
            "Row 1: row: Unknown fields: colour",
        ),
        ({"occurred_at": "2026-01-01T10:00:00Z", "channel": "fax"}, "Row 1: channel: Unknown channel 'fax'"),
    ],
)
def test_bad_batch_rows_are_named(api, officer, case, row, message):
    response = api.as_user(officer).post(
        f"/api/v1/cases/{case.pk}/incidents/batch/", {"client_key": "k", "incidents": [row]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["rows"][0].startswith(message)
    assert not Incident.objects.exists()
