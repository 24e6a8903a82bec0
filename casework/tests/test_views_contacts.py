from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import choices as c
from casework.models import CaseParty, VictimContact
from casework.tests.test_views_cases import add_person


@pytest.fixture
def victim(officer, case):
    return add_person(officer, case, c.PartyRole.VICTIM)


def test_it_records_a_contact_and_shows_the_next_update_due(client, officer, case, victim):
    client.force_login(officer)
    assert client.get(reverse("casework:contact-create", args=[case.pk])).status_code == 200
    when = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("casework:contact-create", args=[case.pk]),
        {
            "victim_id": victim.pk,
            "contacted_at": when.strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
            "summary": "Told her about the arrest",
        },
    )
    assert response.status_code == 302
    contact = VictimContact.objects.get(case=case)
    assert contact.next_update_due is not None
    page = client.get(reverse("casework:contact-list", args=[case.pk]))
    assert page.status_code == 200 and "Told her about the arrest" in page.text and "next update due" in page.text


def test_it_refuses_a_contact_in_the_future(client, officer, case, victim):
    client.force_login(officer)
    when = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("casework:contact-create", args=[case.pk]),
        {"victim_id": victim.pk, "contacted_at": when.strftime("%Y-%m-%dT%H:%M"), "method": "phone", "summary": "x"},
    )
    assert response.status_code == 400 and "must not be in the future" in response.text
    assert not VictimContact.objects.exists()


def test_it_sets_the_victims_code_entitlement(client, officer, case, victim):
    client.force_login(officer)
    url = reverse("casework:victim-entitlement", args=[case.pk, victim.pk])
    prefix = f"victim-{victim.pk}"
    response = client.post(url, {f"{prefix}-enhanced": "yes", f"{prefix}-update_every_working_days": "3"})
    assert response.status_code == 302
    party = CaseParty.objects.get(case=case, person=victim)
    assert party.victims_code_enhanced and party.update_every_working_days == 3
    refused = client.post(url, {f"{prefix}-enhanced": "yes", f"{prefix}-update_every_working_days": "99"})
    assert refused.status_code == 400 and "between 1 and 60 working days" in refused.text
    party.refresh_from_db()
    assert party.update_every_working_days == 3


def test_the_stranger_gets_404(client, stranger, case, victim):
    client.force_login(stranger)
    assert client.get(reverse("casework:contact-list", args=[case.pk])).status_code == 404
    assert client.get(reverse("casework:contact-create", args=[case.pk])).status_code == 404
    assert client.post(reverse("casework:victim-entitlement", args=[case.pk, victim.pk])).status_code == 404
