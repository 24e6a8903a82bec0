"""Sealed details belong to the case they were recorded in (ADR 0007): an officer of another unit or force
who finds, links or reads a victim gets her identity only, never her whereabouts, and her officer in the
case is told who looked."""

from datetime import date

import pytest

from accounts import audit
from accounts.choices import Role
from accounts.models import AuditEntry
from accounts.tests.factories import ForceFactory, UnitFactory, UserFactory
from casework.alerts import sweep_all
from casework.choices import AlertKind, LookupKind
from casework.models import Alert, OutsideLookup, PersonIdentifier
from casework.services.cases import case_open
from casework.services.lookups import outside_lookups_check
from casework.services.people import IdentifierInput, party_add, person_create
from config.errors import InvalidInput

SEALED_ADDRESS = "17 Hiddenway Close, Walsall WS1 9ZZ"
SEALED_PHONE = "07700 900102"
MARKERS = ("Hiddenway", "WS1 9ZZ", "900102", "7700900102")


@pytest.fixture
def victim(officer, case):
    """Jane, victim in the officer's case, who moved to escape him: address and phone sealed there."""
    person = person_create(
        actor=officer,
        case=case,
        first_name="Jane",
        last_name="Hidden",
        date_of_birth=date(1990, 5, 17),
        vulnerabilities=["mental_health"],
        identifiers=[
            IdentifierInput("address", SEALED_ADDRESS, sealed=True),
            IdentifierInput("phone", SEALED_PHONE, sealed=True),
            IdentifierInput("email", "jane.hidden@example.org"),
        ],
    )
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


@pytest.fixture
def other_force_officer(db):
    unit = UnitFactory(code="other-force-unit", force=ForceFactory(code="glp", name="Greater London Police"))
    return UserFactory(username="far", role=Role.OFFICER, unit=unit)


@pytest.fixture
def other_unit_supervisor(stranger):
    return UserFactory(username="stranger-sup", role=Role.SUPERVISOR, unit=stranger.unit)


def _no_marker(text: str) -> None:
    for marker in MARKERS:
        assert marker not in text, marker


def test_it_keeps_a_sealed_detail_in_the_case_it_was_recorded_in(victim, case):
    rows = PersonIdentifier.objects.filter(person=victim)
    assert {(r.kind, r.sealed, r.case_id) for r in rows} == {
        ("address", True, case.pk),
        ("phone", True, case.pk),
        ("email", False, None),
    }


def test_it_refuses_a_sealed_detail_recorded_outside_any_case(officer):
    with pytest.raises(InvalidInput, match="recorded in a case"):
        person_create(
            actor=officer,
            first_name="A",
            last_name="B",
            identifiers=[IdentifierInput("phone", SEALED_PHONE, sealed=True)],
        )


@pytest.mark.parametrize("insider", ["stranger", "other_unit_supervisor", "other_force_officer"])
def test_an_insider_who_links_her_into_his_own_case_sees_her_identity_and_never_her_sealed_details(
    request, api, client, insider, victim, case
):
    insider = request.getfixturevalue(insider)
    own = case_open(actor=insider, title="His own case") if insider.role == Role.OFFICER else None
    own = own or case_open(actor=UserFactory(role=Role.OFFICER, unit=insider.unit), title="A case of his unit")
    response = api.as_user(insider).post(
        f"/api/v1/cases/{own.pk}/people/", {"person_id": victim.pk, "role": "witness"}, format="json"
    )
    assert response.status_code == 201, response.content
    _no_marker(response.content.decode())
    people = api.as_user(insider).get(f"/api/v1/cases/{own.pk}/people/")
    assert people.status_code == 200
    _no_marker(people.content.decode())
    assert "jane.hidden@example.org" in people.content.decode()  # her identity travels
    client.force_login(insider)
    page = client.get(f"/people/{victim.pk}/?case={own.pk}")
    assert page.status_code == 200
    _no_marker(page.content.decode())
    assert "Show sealed details" not in page.content.decode()  # nothing of the other case to reveal
    revealed = client.post(f"/people/{victim.pk}/?case={own.pk}", {"reason": "I need it"})
    _no_marker(revealed.content.decode())
    assert set(OutsideLookup.objects.filter(case=case).values_list("how", flat=True)) == {
        LookupKind.LINK,
        LookupKind.READ,
    }


def test_her_officer_is_alerted_sees_who_looked_and_checks_it(api, client, officer, stranger, victim, case):
    own = case_open(actor=stranger, title="His own case")
    with audit.acting_as(stranger):  # as the middleware does for a request
        party_add(actor=stranger, case=own, person=victim, role="witness")
    client.force_login(stranger)
    client.get(f"/people/{victim.pk}/?case={own.pk}")
    client.get(f"/people/{victim.pk}/?case={own.pk}")  # a second reading through his case is not raised again
    assert OutsideLookup.objects.filter(case=case, how=LookupKind.READ).count() == 1
    sweep_all()
    alert = Alert.objects.get(case=case, kind=AlertKind.LOOKED_UP_FROM_OUTSIDE, resolved_at__isnull=True)
    assert alert.audience == "oic" and len(alert.facts["lookups"]) == 2

    looks = api.as_user(officer).get(f"/api/v1/cases/{case.pk}/lookups/").json()
    assert [(x["how"], x["by"], x["through_case"]) for x in looks["to_check"]] == [
        ("Read her record in another case", "stranger", own.reference),
        ("Linked her to another case", "stranger", own.reference),
    ]
    outside = [x for x in looks["looks"] if x["outside"]]
    assert {x["why"] for x in outside} >= {f"seen in {own.reference}", f"linked to case {own.reference} as witness"}
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/lookups/")
    assert page.status_code == 200 and "Outside this case" in page.content.decode()

    assert client.post(f"/cases/{case.pk}/lookups/checked/").status_code == 302
    sweep_all()
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    with pytest.raises(InvalidInput, match="no look-ups waiting"):
        outside_lookups_check(actor=officer, case=case)


def test_only_her_officer_and_the_units_supervisors_see_who_has_looked(api, cast, victim, case):
    expected = {"officer": 200, "supervisor": 200, "registrar": 404, "stranger": 404, "lawyer": 404, "advocate": 404}
    for name, status in expected.items():
        assert api.as_user(cast[name]).get(f"/api/v1/cases/{case.pk}/lookups/").status_code == status, name
        assert api.as_user(cast[name]).post(f"/api/v1/cases/{case.pk}/lookups/checked/").status_code in (
            {status} if status == 404 else {400}
        ), name


class TestSearch:
    def test_within_reach_it_answers_as_before(self, api, officer, victim):
        (top,) = api.as_user(officer).get("/api/v1/people/?search=jane+hidden&phone=07700900102").json()
        assert top["known_to_you"] is True
        assert top["person"]["vulnerabilities"] == ["mental_health"]
        assert set(top["reasons"]) == {"same name", "same phone number"}

    @pytest.mark.parametrize("insider", ["stranger", "other_force_officer"])
    def test_beyond_it_gives_name_year_of_birth_and_whom_to_contact_only(self, request, api, insider, victim, case):
        insider = request.getfixturevalue(insider)
        response = api.as_user(insider).get("/api/v1/people/?search=jane+hidden")
        (top,) = response.json()
        assert top == {
            "id": victim.pk,
            "first_name": "Jane",
            "last_name": "Hidden",
            "year_of_birth": 1990,
            "known_to_you": False,
            "person": None,
            "score": 25,
            "reasons": [],
            "elsewhere": {"cases": 1, "contact_units": [f"{case.unit.name}, {case.unit.force.name}"]},
        }
        assert "mental" not in response.content.decode() and "1990-05-17" not in response.content.decode()

    @pytest.mark.parametrize("phone", ["07700 900102", "+44 7700 900102", "07700-900-102"])
    def test_a_sealed_phone_cannot_be_confirmed_by_someone_who_may_not_read_it(
        self, api, client, stranger, phone, victim
    ):
        assert api.as_user(stranger).get("/api/v1/people/", {"phone": phone}).json() == []
        client.force_login(stranger)
        own = case_open(actor=stranger, title="His own case")
        panel = client.post(
            f"/cases/{own.pk}/people/add/",
            {"role": "witness", "gender": "not_known", "phone": phone, "action": "search"},
        )
        assert "Jane" not in panel.content.decode() and "No one similar is known" in panel.content.decode()

    def test_the_duplicate_panel_shows_the_limited_result_beyond_the_unit(self, client, stranger, victim, case):
        client.force_login(stranger)
        own = case_open(actor=stranger, title="His own case")
        page = client.post(
            f"/cases/{own.pk}/people/add/",
            {"role": "witness", "gender": "not_known", "first_name": "Jane", "last_name": "Hidden", "action": "search"},
        ).content.decode()
        assert "Born in 1990" in page and "17 May" not in page
        assert f"Known in 1 case of other units – contact: {case.unit.name}" in page
        assert "Why:" not in page
        _no_marker(page)

    def test_a_search_from_outside_is_told_to_her_officer_and_audited_per_person(self, api, stranger, victim, case):
        api.as_user(stranger).get("/api/v1/people/?search=jane+hidden")
        assert OutsideLookup.objects.get(case=case).how == LookupKind.SEARCH
        entry = AuditEntry.objects.filter(object_type="casework.person", object_id=str(victim.pk)).latest("id")
        assert (entry.actor, entry.detail) == (stranger, "found in a person search")

    def test_a_search_within_her_unit_raises_nothing(self, api, supervisor, victim):
        api.as_user(supervisor).get("/api/v1/people/?search=jane+hidden")
        assert not OutsideLookup.objects.exists()


class TestTheNewCaseRecordsItsOwn:
    @pytest.fixture
    def linked(self, stranger, victim):
        own = case_open(actor=stranger, title="Her second report, to another unit")
        party_add(actor=stranger, case=own, person=victim, role="victim")
        return own

    def test_the_same_sealed_address_is_neither_refused_nor_revealed(
        self, api, stranger, officer, victim, case, linked
    ):
        url = f"/api/v1/cases/{linked.pk}/people/{victim.pk}/identifiers/"
        response = api.as_user(stranger).post(url, {"kind": "address", "value": SEALED_ADDRESS, "sealed": True})
        assert response.status_code == 201, response.content
        again = api.as_user(stranger).post(url, {"kind": "address", "value": SEALED_ADDRESS, "sealed": True})
        assert again.status_code == 400 and "already has this address" in again.content.decode()
        # Each case shows its own: the officer of the first sees one sealed address, not two.
        people = api.as_user(officer).get(f"/api/v1/cases/{case.pk}/people/").json()
        assert [i["value"] for i in people[0]["identifiers"] if i["kind"] == "address"] == [SEALED_ADDRESS]

    def test_a_detail_sealed_in_the_new_case_stays_out_of_the_old_one(
        self, api, client, stranger, officer, victim, case, linked
    ):
        client.force_login(stranger)
        page = client.post(
            f"/cases/{linked.pk}/people/{victim.pk}/identifiers/new/",
            {"kind": "phone", "value": "07700 900999", "sealed": "on"},
        )
        assert page.status_code == 302
        assert PersonIdentifier.objects.get(normalised__endswith="7700900999").case == linked
        old = api.as_user(officer).get(f"/api/v1/cases/{case.pk}/people/").content.decode()
        assert "900999" not in old

    def test_a_bad_detail_is_refused_with_the_reason(self, client, stranger, victim, linked):
        client.force_login(stranger)
        page = client.post(f"/cases/{linked.pk}/people/{victim.pk}/identifiers/new/", {"kind": "phone", "value": "x"})
        assert page.status_code == 400 and "govuk-error-summary" in page.content.decode()

    def test_only_a_person_of_the_case_takes_a_detail(self, api, stranger, victim, case):
        other = case_open(actor=stranger, title="Unrelated")
        url = f"/api/v1/cases/{other.pk}/people/{victim.pk}/identifiers/"
        assert api.as_user(stranger).post(url, {"kind": "phone", "value": "07700 900111"}).status_code == 404
        assert PersonIdentifier.objects.filter(person=victim).count() == 3


def test_a_lookup_of_a_suspect_is_not_an_alert(api, stranger, officer, case):
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    api.as_user(stranger).get("/api/v1/people/?search=mark+dunn")
    assert not OutsideLookup.objects.exists()


def test_the_data_migration_puts_each_sealed_detail_in_the_first_case_she_was_a_victim_in(officer, stranger):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("casework.migrations.0006_sealed_details_belong_to_their_case")
    first = case_open(actor=officer, title="First")
    later = case_open(actor=stranger, title="Later")
    person = person_create(actor=officer, first_name="Old", last_name="Record")
    party_add(actor=stranger, case=later, person=person, role="witness")
    party_add(actor=officer, case=first, person=person, role="victim")
    row = PersonIdentifier.objects.create(
        person=person, kind="phone", value=SEALED_PHONE, normalised="+447700900102", sealed=True
    )
    migration.seal_in_first_case(apps, None)
    row.refresh_from_db()
    assert row.case == first
