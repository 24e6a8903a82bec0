"""Incidents numbered in their case, and the structured facts the escalation detector reads: the form,
the API (single and batch) and the CSV log accept them, refuse them half-given, and a new number,
account or name is added to the suspect's identifiers."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework import choices as c
from casework.models import CaseParty, Incident, PersonAlias, PersonIdentifier
from casework.services.incidents import IncidentInput, incident_record, incidents_record_batch
from casework.tests.factories import CaseFactory, IncidentFactory, PersonFactory, add_victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim(case):
    return add_victim(case, "Amy", "Lee")


@pytest.fixture
def suspect(case):
    person = PersonFactory(first_name="Mark", last_name="Dunn")
    CaseParty.objects.create(case=case, person=person, role=c.PartyRole.SUSPECT)
    return person


def _at(hours: int):
    return timezone.now() - timedelta(hours=hours)


def test_incidents_are_numbered_in_their_case_in_order_of_recording(officer, case):
    other = CaseFactory(unit=case.unit, officer=officer)
    first = incident_record(actor=officer, case=case, data=IncidentInput(occurred_at=_at(1), channel="text"))
    incident_record(actor=officer, case=other, data=IncidentInput(occurred_at=_at(1), channel="text"))
    # Recorded later but happened earlier: numbers follow recording, not occurrence.
    second = incident_record(actor=officer, case=case, data=IncidentInput(occurred_at=_at(90), channel="text"))
    batch = incidents_record_batch(
        actor=officer, case=case, client_key="k1",
        rows=[IncidentInput(occurred_at=_at(5), channel="text"), IncidentInput(occurred_at=_at(4), channel="email")],
    )  # fmt: skip
    assert (first.number, second.number) == (1, 2)
    assert sorted(batch.batch.incidents.values_list("number", flat=True)) == [3, 4]
    assert list(other.incidents.values_list("number", flat=True)) == [1]


def test_the_migration_numbers_existing_incidents_by_when_they_were_recorded(officer, case):
    rows = [IncidentFactory(case=case, number=n) for n in (7, 3, 9)]
    for n, row in enumerate(rows):
        Incident.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=10 - n))
    module = importlib.import_module("casework.migrations.0007_incident_number_and_structured_facts")
    module.number_existing_incidents(apps, None)
    assert [Incident.objects.get(pk=r.pk).number for r in rows] == [1, 2, 3]


def test_the_api_takes_the_facts_and_links_the_new_number_to_the_suspect(api, officer, case, victim, suspect):
    body = {
        "occurred_at": _at(2).isoformat(),
        "channel": "in_person",
        "entry": "forced",
        "entry_place": "home",
        "circumstances": ["at_night", "children_present"],
        "new_identity_kind": "phone",
        "new_identity": "07700 900123",
    }
    response = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["number"], data["entry"], data["entry_place"]) == (1, "forced", "home")
    assert data["circumstances"] == ["at_night", "children_present"]
    assert PersonIdentifier.objects.filter(person=suspect, kind="phone", normalised="+447700900123").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"entry": "forced"}, "entry_place", "Say where he got in"),
        ({"entry_place": "car"}, "entry", "Say whether he tried to get in"),
        ({"new_identity_kind": "phone", "new_identity": "not a number"}, "new_identity", "not a phone number"),
        ({"new_identity": "07700 900123"}, "new_identity_kind", "Say whether it is a number"),
        ({"circumstances": ["on_a_bike"]}, "circumstances", "not a valid choice"),
    ],
)
def test_half_given_facts_are_refused_naming_the_field(api, officer, case, victim, change, field, message):
    body = {"occurred_at": _at(2).isoformat(), "channel": "in_person"} | change
    response = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")
    assert response.status_code == 400
    assert message in " ".join(str(m) for m in response.json()["errors"][field])
    assert not Incident.objects.filter(case=case).exists()


def test_a_batch_names_the_row_with_a_half_given_fact(api, officer, case, victim):
    rows = [
        {"occurred_at": _at(3).isoformat(), "channel": "text"},
        {"occurred_at": _at(2).isoformat(), "channel": "in_person", "entry": "entered"},
    ]
    url = f"/api/v1/cases/{case.pk}/incidents/batch/"
    response = api.as_user(officer).post(url, {"client_key": "b1", "incidents": rows}, format="json")
    assert response.status_code == 400
    assert "Row 2: entry_place: Say where he got in or tried to" in response.json()["errors"]["rows"]
    assert not Incident.objects.filter(case=case).exists()


def test_an_alias_goes_to_the_suspect_once(officer, case, suspect):
    for hours in (3, 2):
        data = IncidentInput(occurred_at=_at(hours), channel="social_media", new_identity_kind="alias",
                             new_identity="Jay Smith")  # fmt: skip
        incident_record(actor=officer, case=case, data=data)
    assert PersonAlias.objects.filter(person=suspect, normalised_name="smith jay").count() == 1


def test_the_csv_log_takes_the_facts(client, officer, case, victim):
    client.force_login(officer)
    body = (
        "occurred_at,channel,entry,entry_place,circumstances,new_identity_kind,new_identity\n"
        "2026-01-10 23:40,in_person,forced,home,at_night;children_present,,\n"
        "2026-01-11 09:30,text,,,,phone,07700 900124\n"
    )
    file = SimpleUploadedFile("log.csv", body.encode(), content_type="text/csv")
    response = client.post(reverse("casework:incident-import", args=[case.pk]), {"file": file, "client_key": "c1"})
    assert response.status_code == 302
    forced, text = Incident.objects.filter(case=case).order_by("number")
    assert (forced.entry, forced.entry_place, forced.circumstances) == (
        "forced",
        "home",
        ["at_night", "children_present"],
    )
    assert (text.new_identity_kind, text.new_identity, text.number) == ("phone", "07700 900124", 2)


def test_the_form_shows_an_error_summary_for_an_entry_without_a_place(client, officer, case, victim):
    client.force_login(officer)
    when = timezone.localtime(_at(1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("casework:incident-create", args=[case.pk])
    response = client.post(url, {"occurred_at": when, "channel": "in_person", "entry": "forced"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text and "Say where he got in" in response.text
    ok = client.post(url, {"occurred_at": when, "channel": "in_person", "entry": "forced", "entry_place": "bedroom",
                           "circumstances": ["at_night"]})  # fmt: skip
    assert ok.status_code == 302
    assert Incident.objects.get(case=case).entry_place == "bedroom"
