"""Free text holding a victim's sealed detail is refused before saving, naming the kind of detail and never
the value: the API answers 400 with the field's error, the page a GOV.UK error summary, nothing is saved
(casework.redaction.sealed_text_check, called by every service that saves free text of a case)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casework.choices import Channel, ContactMethod, IdentifierKind, PartyRole, ReferralOutcome, SupportService
from casework.models import (
    CaseParty,
    Incident,
    IncidentBatch,
    PassedOnIncident,
    PersonIdentifier,
    SafetyPlanItem,
    SupportReferral,
    VictimContact,
)
from casework.redaction import sealed_text_errors
from casework.services import care
from casework.services.contacts import victim_contact_record
from casework.services.incidents import IncidentInput, incident_record, incident_update, incidents_record_batch
from casework.services.passed_on import passed_on_accept, passed_on_decline
from casework.services.referrals import support_referral_record
from casework.tests.factories import PersonFactory, pass_on
from config.errors import InvalidInput

ADDRESS_MESSAGE = 'This text contains the victim\'s sealed address. Describe it instead (for example "her home").'


@pytest.fixture
def victim(case):
    person = PersonFactory(first_name="Jane", last_name="Doe")
    CaseParty.objects.create(case=case, person=person, role=PartyRole.VICTIM)
    for kind, value, sealed in (
        (IdentifierKind.ADDRESS, "17 Hiddenway Close, Harborne B12 9QX", True),
        (IdentifierKind.PHONE, "07700 900102", True),
        (IdentifierKind.ADDRESS, "3 Mill Lane, Selly Oak", False),
    ):
        PersonIdentifier.objects.create(
            person=person,
            kind=kind,
            value=value,
            normalised=value.lower(),
            sealed=sealed,
            case=case if sealed else None,
        )
    return person


@pytest.fixture
def api():
    return APIClient()


def _incident(victim, narrative: str) -> IncidentInput:
    return IncidentInput(
        occurred_at=timezone.now() - timedelta(hours=2), channel=Channel.TEXT, victim_id=victim.pk, narrative=narrative
    )


def test_the_message_names_the_kind_and_never_the_value(case, victim):
    errors = sealed_text_errors(case, {"a": "He waited at 17 hiddenway cl", "b": "rang +44 7700-900-102", "c": "ok"})
    assert errors == {
        "a": ADDRESS_MESSAGE,
        "b": 'This text contains the victim\'s sealed phone number. Describe it instead (for example "her phone").',
    }
    assert "Hiddenway" not in str(errors) and "900102" not in str(errors)


def test_an_address_she_has_not_sealed_may_be_written(case, victim):
    assert sealed_text_errors(case, {"narrative": "He went to 3 Mill Lane, her old flat"}) == {}


def test_a_detail_sealed_in_her_other_case_is_neither_refused_nor_confirmed_here_but_withheld(case, victim, officer):
    from casework.redaction import victim_redactor
    from casework.tests.factories import CaseFactory

    other = CaseFactory(unit=officer.unit, officer=officer)
    CaseParty.objects.create(case=other, person=victim, role=PartyRole.VICTIM)
    assert sealed_text_errors(other, {"narrative": "at B129QX"}) == {}  # ADR 0007: no confirmation
    assert victim_redactor(other)("at B129QX") == "at [withheld]"  # yet no reader of that case gets it


def test_a_single_incident_is_refused_and_nothing_saved(officer, case, victim):
    with pytest.raises(InvalidInput) as refused:
        incident_record(actor=officer, case=case, data=_incident(victim, "Seen outside 17 Hiddenway Cl"))
    assert refused.value.errors == {"narrative": [ADDRESS_MESSAGE]}
    assert not Incident.objects.exists()


def test_an_incident_edit_is_refused_and_the_narrative_kept(officer, case, victim):
    incident = incident_record(actor=officer, case=case, data=_incident(victim, "Texts all night"))
    with pytest.raises(InvalidInput):
        incident_update(
            actor=officer, incident=incident, expected_version=incident.version, data=_incident(victim, "B12 9QX")
        )
    incident.refresh_from_db()
    assert incident.narrative == "Texts all night" and incident.version == 1


def test_a_batch_names_the_row_and_saves_nothing(officer, case, victim):
    rows = [_incident(victim, "Texts"), _incident(victim, "Rang her on 07700900102")]
    with pytest.raises(InvalidInput) as refused:
        incidents_record_batch(actor=officer, case=case, client_key="k", rows=rows)
    assert refused.value.errors["rows"] == [
        "Row 2: narrative: This text contains the victim's sealed phone number. Describe it instead (for example "
        '"her phone").'
    ]
    assert not Incident.objects.exists() and not IncidentBatch.objects.exists()


def test_the_api_answers_400_with_the_field_error(api, officer, case, victim):
    api.force_authenticate(officer)
    body = {
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "channel": "text",
        "victim_id": victim.pk,
        "narrative": "He was at 17 Hiddenway Close",
    }
    response = api.post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["narrative"] == [ADDRESS_MESSAGE]
    assert not Incident.objects.exists()


def test_the_page_shows_an_error_summary(client, officer, case, victim):
    client.force_login(officer)
    response = client.post(
        reverse("casework:incident-create", args=[case.pk]),
        {
            "occurred_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "victim": victim.pk,
            "channel": Channel.TEXT,
            "count": "1",
            "narrative": "He was at 17 Hiddenway Close",
        },
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text and "sealed address" in response.text
    assert not Incident.objects.exists()


def test_a_csv_import_names_the_line(client, officer, case, victim):
    client.force_login(officer)
    body = "occurred_at,channel,count,narrative\n2026-01-10 08:00,text,1,ok\n2026-01-11 08:00,text,1,at B12 9QX\n"
    response = client.post(
        reverse("casework:incident-import", args=[case.pk]),
        {"file": SimpleUploadedFile("log.csv", body.encode()), "victim": victim.pk, "client_key": "csv-1"},
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text and "sealed address" in response.text
    assert "Line 3" in response.text or "line 3" in response.text
    assert not Incident.objects.exists()


def test_accepting_a_passed_on_incident_is_refused(officer, advocate, case, victim):
    item = pass_on(case, victim, advocate, account="He came to 17 Hiddenway Close")
    with pytest.raises(InvalidInput) as refused:
        passed_on_accept(actor=officer, item=item)
    assert "narrative" in refused.value.errors
    item.refresh_from_db()
    assert item.status == "awaiting" and not Incident.objects.exists()
    with pytest.raises(InvalidInput) as declined:
        passed_on_decline(actor=officer, item=item, reason="Already on file as 17 Hiddenway Cl")
    assert declined.value.errors == {"reason": [ADDRESS_MESSAGE]}


def test_a_victim_contact_is_refused(officer, case, victim):
    with pytest.raises(InvalidInput) as refused:
        victim_contact_record(
            actor=officer,
            case=case,
            victim_id=victim.pk,
            contacted_at=timezone.now(),
            method=ContactMethod.PHONE,
            summary="Rang her on 07700 900102",
        )
    assert list(refused.value.errors) == ["summary"]
    assert not VictimContact.objects.exists()


def test_a_referral_note_is_refused(officer, case, victim):
    with pytest.raises(InvalidInput) as refused:
        support_referral_record(
            actor=officer,
            case=case,
            victim_id=victim.pk,
            service=SupportService.STALKING_ADVOCATE,
            outcome=ReferralOutcome.DECLINED,
            referred_on=date.today(),
            note="Offered at her home, 17 Hiddenway Close",
        )
    assert refused.value.errors == {"note": [ADDRESS_MESSAGE]}
    assert not SupportReferral.objects.exists()


def test_the_advocate_is_refused_a_safety_plan_item_and_a_passed_on_account(api, officer, advocate, case, victim):
    SupportReferral.objects.create(
        case=case,
        victim=victim,
        service=SupportService.STALKING_ADVOCATE,
        outcome=ReferralOutcome.REFERRED,
        referred_on=timezone.localdate(),
        organisation=advocate.organisation,
        consent_to_share=True,
        recorded_by=officer,
    )
    api.force_authenticate(advocate)
    response = api.post(
        f"/api/v1/care/cases/{case.pk}/safety-plan/",
        {"victim_id": victim.pk, "risk": "He finds her", "measure": "Alarm fitted at 17 Hiddenway Cl"},
    )
    assert response.status_code == 400 and response.json()["errors"]["measure"] == [ADDRESS_MESSAGE]
    assert not SafetyPlanItem.objects.exists()
    with pytest.raises(InvalidInput):
        care.passed_on_record(
            actor=advocate,
            case=case,
            victim_id=victim.pk,
            occurred_at=timezone.now(),
            channel=Channel.TEXT,
            count=1,
            account="He texted 07700900102",
        )
    assert not PassedOnIncident.objects.exists()


def test_her_sealed_number_given_as_his_new_number_is_refused_so_it_never_becomes_his(officer, case, victim):
    """A new identity is added to the suspect's identifiers, unsealed: her sealed number must not get there."""
    data = _incident(victim, "Texts from a number she did not know")
    data.new_identity_kind, data.new_identity = "phone", "07700 900 102"
    with pytest.raises(InvalidInput) as refused:
        incident_record(actor=officer, case=case, data=data)
    assert list(refused.value.errors) == ["new_identity"]
    with pytest.raises(InvalidInput) as in_batch:
        incidents_record_batch(actor=officer, case=case, client_key="k", rows=[data])
    assert in_batch.value.errors["rows"][0].startswith("Row 1: new_identity: This text contains")
    assert not Incident.objects.exists()
