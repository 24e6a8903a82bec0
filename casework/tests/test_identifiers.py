from datetime import date

import pytest

from casework.identifiers import InvalidIdentifier, normalise_identifier, normalise_name
from casework.working_days import add_working_days


@pytest.mark.parametrize(
    ("kind", "typed", "normalised"),
    [
        ("phone", "07700 900123", "+447700900123"),
        ("phone", "+44 (0)7700-900123", "+447700900123"),
        ("phone", "0044 7700 900123", "+447700900123"),
        ("email", "Jane.Doe@Example.COM", "jane.doe@example.com"),
        ("handle", "@JSmith_99", "jsmith_99"),
        ("vehicle", "ab12 cde", "AB12CDE"),
        ("address", "1, New St.,  LEEDS", "1 new st leeds"),
    ],
)
def test_identifiers_are_normalised_however_typed(kind, typed, normalised):
    assert normalise_identifier(kind, typed) == normalised


@pytest.mark.parametrize(("kind", "typed"), [("phone", "call me"), ("phone", "123"), ("email", "jane@"), ("phone", "")])
def test_bad_identifiers_are_refused(kind, typed):
    with pytest.raises(InvalidIdentifier):
        normalise_identifier(kind, typed)


def test_names_fold_case_accents_and_punctuation_surname_first():
    assert normalise_name("Siân", "O'Neill") == "o neill sian"
    assert normalise_name("SIAN", "o neill") == "o neill sian"


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday → Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas and the Boxing Day substitute
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_the_duplicate_search_ranks_identifier_matches_above_names(officer, case):
    from casework.selectors import person_candidates
    from casework.services.people import IdentifierInput, party_add, person_create

    namesake = person_create(actor=officer, first_name="John", last_name="Smith", date_of_birth=date(1980, 1, 2))
    by_phone = person_create(
        actor=officer, first_name="Jon", last_name="Smyth", identifiers=[IdentifierInput("phone", "07700900999")]
    )
    for person in (namesake, by_phone):
        party_add(actor=officer, case=case, person=person, role="witness")
    found = person_candidates(
        officer,
        first_name="John",
        last_name="Smith",
        date_of_birth=date(1980, 1, 2),
        identifiers=[("phone", "+447700900999")],
    )
    assert [c.person for c in found] == [by_phone, namesake]
    assert found[1].reasons == ["same name", "same surname and date of birth"]
