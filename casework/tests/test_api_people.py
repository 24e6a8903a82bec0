import pytest

from accounts.models import AuditEntry
from casework.models import CaseParty, Person


@pytest.fixture
def known_suspect(officer):
    """Mark Reeve, suspect in an older case of the unit."""
    from casework.services.cases import case_open
    from casework.services.people import IdentifierInput, party_add, person_create

    old_case = case_open(actor=officer, title="2024 case")
    person = person_create(
        actor=officer,
        first_name="Mark",
        last_name="Reeve",
        aliases=["Marky Reeves"],
        identifiers=[IdentifierInput("phone", "07700 900456"), IdentifierInput("handle", "@MReeve", "instagram")],
    )
    party_add(actor=officer, case=old_case, person=person, role="suspect")
    return person


VICTIM = {
    "role": "victim",
    "relationship_to_suspect": "ex_partner",
    "person": {
        "first_name": "Jane",
        "last_name": "Doe",
        "vulnerabilities": ["mental_health"],
        "identifiers": [{"kind": "address", "value": "1 New Street, Leeds", "sealed": True}],
    },
}


def test_adding_a_new_victim_sets_the_derived_flags(api, officer, case):
    response = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", VICTIM, format="json")
    assert response.status_code == 201, response.json()
    case.refresh_from_db()
    assert case.is_domestic_abuse and case.is_vulnerable_victim
    assert response.json()["identifiers"] == [
        {"kind": "address", "value": "1 New Street, Leeds", "platform": "", "sealed": True}
    ]


def test_the_search_finds_the_suspect_by_phone_in_any_format_with_reasons(api, officer, known_suspect):
    response = api.as_user(officer).get("/api/v1/people/?search=mark+reeve&phone=%2B447700900456")
    assert response.status_code == 200
    (top,) = response.json()
    assert top["person"]["id"] == known_suspect.pk
    assert set(top["reasons"]) == {"same name", "same phone number"}
    by_alias = api.as_user(officer).get("/api/v1/people/?search=marky+reeves").json()
    assert by_alias[0]["reasons"] == ["name matches an alias"]
    by_handle = api.as_user(officer).get("/api/v1/people/?handle=mreeve").json()
    assert by_handle[0]["person"]["id"] == known_suspect.pk


def test_linking_a_known_suspect_flags_repeat_suspect_and_logs_a_combination(api, officer, case, known_suspect):
    response = api.as_user(officer).post(
        f"/api/v1/cases/{case.pk}/people/", {"person_id": known_suspect.pk, "role": "suspect"}, format="json"
    )
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.is_repeat_suspect
    assert AuditEntry.objects.filter(action="combine", object_id=str(known_suspect.pk)).exists()


def test_a_person_linked_twice_is_refused(api, officer, case, known_suspect):
    body = {"person_id": known_suspect.pk, "role": "suspect"}
    api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", body, format="json")
    again = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", body | {"role": "witness"}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"] == {"person": ["Mark Reeve is already in this case as suspect"]}
    assert CaseParty.objects.filter(case=case).count() == 1


def test_bad_person_input_saves_nothing(api, officer, case):
    bad = {
        "role": "victim",
        "person": {
            "first_name": "Jane",
            "last_name": "Doe",
            "identifiers": [{"kind": "phone", "value": "not a phone"}],
        },
    }
    response = api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", bad, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["identifiers"] == ["Identifier 1: 'not a phone' is not a phone number"]
    assert not Person.objects.exists()
    future = {"role": "victim", "person": {"last_name": "Doe", "date_of_birth": "2999-01-01"}}
    assert api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", future, format="json").json() == {
        "errors": {"date_of_birth": ["Date of birth must be in the past"]}
    }
    unknown_role = {"role": "accomplice", "person_id": 1}
    assert (
        "role"
        in api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", unknown_role, format="json").json()["errors"]
    )


def test_sealed_details_are_withheld_from_a_colleague_who_is_not_the_oic(api, officer, case):
    from accounts.tests.factories import UserFactory

    api.as_user(officer).post(f"/api/v1/cases/{case.pk}/people/", VICTIM, format="json")
    colleague = UserFactory(role="officer", unit=case.unit)
    (party,) = api.as_user(colleague).get(f"/api/v1/cases/{case.pk}/people/").json()
    assert party["identifiers"] == [{"kind": "address", "value": None, "platform": "", "sealed": True}]
    assert "New Street" not in str(api.as_user(colleague).get(f"/api/v1/cases/{case.pk}/people/").content)


def test_people_of_a_case_are_404_to_a_stranger_and_search_is_police_only(api, stranger, lawyer, case):
    assert api.as_user(stranger).get(f"/api/v1/cases/{case.pk}/people/").status_code == 404
    assert api.as_user(lawyer).get("/api/v1/people/?search=doe").status_code == 403
