import pytest
from django.urls import reverse

from accounts.choices import Role
from accounts.models import AuditEntry
from accounts.tests.factories import UserFactory
from casework import choices as c
from casework.models import CaseParty, Person
from casework.services.people import IdentifierInput
from casework.tests.factories import CaseFactory
from casework.tests.test_views_cases import add_person


@pytest.fixture
def known_suspect(officer):
    older = CaseFactory(unit=officer.unit, officer=officer, title="Older case")
    person = add_person(
        officer,
        older,
        c.PartyRole.SUSPECT,
        first="Mark",
        last="Reeve",
        identifiers=[IdentifierInput(kind="phone", value="07700 900456")],
    )
    return person


def _person(**extra) -> dict:
    return {"role": c.PartyRole.VICTIM, "first_name": "Anna", "last_name": "Jones", "gender": c.Gender.FEMALE} | extra


def test_it_searches_and_shows_candidates_with_reasons(client, officer, case, known_suspect):
    client.force_login(officer)
    response = client.post(
        reverse("casework:party-add", args=[case.pk]),
        {
            "action": "search",
            "role": c.PartyRole.SUSPECT,
            "first_name": "Mark",
            "last_name": "Reeve",
            "phone": "07700900456",
            "gender": c.Gender.NOT_KNOWN,
        },
    )
    assert response.status_code == 200
    assert "same name, same phone number" in response.text
    assert f'name="link_person" value="{known_suspect.pk}"' in response.text
    assert not CaseParty.objects.filter(case=case).exists()


def test_it_links_a_known_person_and_flags_the_repeat_suspect(client, officer, case, known_suspect):
    client.force_login(officer)
    response = client.post(
        reverse("casework:party-add", args=[case.pk]),
        {
            "link_person": known_suspect.pk,
            "role": c.PartyRole.SUSPECT,
            "first_name": "Mark",
            "last_name": "Reeve",
            "gender": c.Gender.NOT_KNOWN,
        },
    )
    assert response.status_code == 302
    assert CaseParty.objects.filter(case=case, person=known_suspect, role=c.PartyRole.SUSPECT).exists()
    case.refresh_from_db()
    assert case.is_repeat_suspect
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert "Repeat suspect" in page.text and "Older case" not in page.text  # reference shown, not title
    assert "as suspect" in page.text


def test_it_creates_a_new_person_with_identifiers(client, officer, case):
    client.force_login(officer)
    response = client.post(
        reverse("casework:party-add", args=[case.pk]),
        _person(
            action="create",
            relationship_to_suspect=c.Relationship.EX_PARTNER,
            phone="07700 900111",
            address="1 High Street",
            sealed="on",
            aliases="Annie J\nA. Jones",
            vulnerabilities=["mental_health"],
        ),
    )
    assert response.status_code == 302
    party = CaseParty.objects.get(case=case)
    assert party.role == c.PartyRole.VICTIM and party.relationship_to_suspect == c.Relationship.EX_PARTNER
    person = party.person
    assert {(i.kind, i.sealed) for i in person.identifiers.all()} == {("phone", True), ("address", True)}
    assert person.aliases.count() == 2
    case.refresh_from_db()
    assert case.is_domestic_abuse and case.is_vulnerable_victim


def test_it_refuses_a_person_linked_twice(client, officer, case, known_suspect):
    client.force_login(officer)
    url = reverse("casework:party-add", args=[case.pk])
    data = {
        "link_person": known_suspect.pk,
        "role": c.PartyRole.SUSPECT,
        "gender": c.Gender.NOT_KNOWN,
        "last_name": "Reeve",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data | {"role": c.PartyRole.WITNESS})
    assert again.status_code == 400
    assert "Mark Reeve is already in this case as suspect" in again.text
    assert CaseParty.objects.filter(case=case).count() == 1


def test_it_refuses_a_bad_phone_number_and_creates_nobody(client, officer, case):
    client.force_login(officer)
    response = client.post(reverse("casework:party-add", args=[case.pk]), _person(action="create", phone="12"))
    assert response.status_code == 400
    assert "is not a possible phone number" in response.text or "is not a phone number" in response.text
    assert not Person.objects.exists()


def test_a_relationship_is_only_for_victims(client, officer, case):
    client.force_login(officer)
    response = client.post(
        reverse("casework:party-add", args=[case.pk]),
        _person(action="create", role=c.PartyRole.SUSPECT, relationship_to_suspect=c.Relationship.EX_PARTNER),
    )
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_the_stranger_gets_404(client, stranger, officer, case):
    victim = add_person(officer, case, c.PartyRole.VICTIM)
    client.force_login(stranger)
    assert client.get(reverse("casework:party-add", args=[case.pk])).status_code == 404
    assert client.get(reverse("casework:person-detail", args=[victim.pk]), {"case": case.pk}).status_code == 404


def test_the_person_page_needs_a_case_the_person_is_in(client, officer, case):
    victim = add_person(officer, case, c.PartyRole.VICTIM)
    other = CaseFactory(unit=officer.unit, officer=officer)
    client.force_login(officer)
    url = reverse("casework:person-detail", args=[victim.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"case": other.pk}).status_code == 404
    assert client.get(url, {"case": case.pk}).status_code == 200


def test_sealed_details_need_a_reason_from_a_colleague_and_the_reveal_is_audited(client, officer, case):
    victim = add_person(
        officer,
        case,
        c.PartyRole.VICTIM,
        identifiers=[
            IdentifierInput(kind="address", value="7 Hidden Lane", sealed=True),
            IdentifierInput(kind="email", value="anna@example.org"),
        ],
    )
    colleague = UserFactory(username="colleague", role=Role.OFFICER, unit=officer.unit)
    url = reverse("casework:person-detail", args=[victim.pk]) + f"?case={case.pk}"

    client.force_login(officer)  # the OIC sees it
    assert "7 Hidden Lane" in client.get(url).text

    client.force_login(colleague)
    page = client.get(url)
    assert page.status_code == 200
    assert "7 Hidden Lane" not in page.text and "anna@example.org" in page.text
    assert "Show sealed details" in page.text
    no_reason = client.post(url, {"reason": ""})
    assert no_reason.status_code == 400 and "7 Hidden Lane" not in no_reason.text
    revealed = client.post(url, {"reason": "Arranging a welfare visit"})
    assert revealed.status_code == 200 and "7 Hidden Lane" in revealed.text
    entry = AuditEntry.objects.filter(actor=colleague, object_type="casework.person", object_id=str(victim.pk)).last()
    assert "Arranging a welfare visit" in entry.detail
