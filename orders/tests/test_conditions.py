"""The standard condition library and the breach matcher (orders/conditions.py): pure, no database."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from casework.choices import Behaviour, Channel, Place
from orders.choices import CONTACT_CHANNELS, ConditionKind
from orders.conditions import LIBRARY, ConditionFacts, IncidentFacts, Match, find_matches, matches, standard_wording

LONDON = ZoneInfo("Europe/London")
VICTIM, OTHER = 7, 8

NO_CONTACT = ConditionFacts(
    id=1,
    protected_ids=frozenset({VICTIM}),
    channels=frozenset(CONTACT_CHANNELS),
    zone_places=frozenset(),
    behaviours=frozenset({Behaviour.CONTACTING}),
    binds_from=date(2026, 3, 1),
    binds_until=date(2028, 2, 29),
)
ZONE = replace(
    NO_CONTACT, id=2, channels=frozenset(), behaviours=frozenset(), zone_places=frozenset({Place.VICTIM_WORK})
)
TEXT = IncidentFacts(
    id=10,
    occurred_at=datetime(2026, 6, 5, 21, 15, tzinfo=LONDON),
    victim_id=VICTIM,
    channel=Channel.TEXT,
    place="",
    behaviours=frozenset(),
)


# --- The matcher ------------------------------------------------------------------------------------


def test_a_text_to_the_protected_victim_in_force_is_a_match_with_its_reason():
    assert matches(TEXT, NO_CONTACT) == Match(1, 10, "contact by text message on 05 Jun 2026")


def test_an_incident_against_someone_else_is_not_a_match():
    assert matches(replace(TEXT, victim_id=OTHER), NO_CONTACT) is None


def test_an_incident_with_no_victim_named_is_tested_against_the_protected_people():
    assert matches(replace(TEXT, victim_id=None), NO_CONTACT) is not None


def test_an_incident_before_the_condition_binds_is_not_a_match():
    assert matches(replace(TEXT, occurred_at=datetime(2026, 2, 28, 23, 59, tzinfo=LONDON)), NO_CONTACT) is None


def test_the_first_and_last_days_are_inside():
    first = replace(TEXT, occurred_at=datetime(2026, 3, 1, 0, 1, tzinfo=LONDON))
    last = replace(TEXT, occurred_at=datetime(2028, 2, 29, 23, 59, tzinfo=LONDON))
    assert matches(first, NO_CONTACT) and matches(last, NO_CONTACT)


def test_an_incident_after_the_condition_ends_is_not_a_match():
    assert matches(replace(TEXT, occurred_at=datetime(2028, 3, 1, 9, 0, tzinfo=LONDON)), NO_CONTACT) is None


def test_the_day_is_the_local_day_not_utc():
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    condition = replace(NO_CONTACT, binds_from=date(2026, 6, 1))
    late = replace(TEXT, occurred_at=datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert matches(late, condition).reason.endswith("on 01 Jun 2026")


def test_an_open_ended_condition_binds_from_its_start_onwards():
    forever = replace(NO_CONTACT, binds_until=None)
    assert matches(replace(TEXT, occurred_at=datetime(2040, 1, 1, 12, tzinfo=LONDON)), forever) is not None


def test_a_condition_that_never_bound_matches_nothing():
    assert matches(TEXT, replace(NO_CONTACT, binds_from=None)) is None


def test_an_incident_nothing_forbids_is_not_a_match():
    damage = replace(TEXT, channel=Channel.PROPERTY_DAMAGE, place=Place.PUBLIC)
    assert matches(damage, NO_CONTACT) is None


def test_an_in_person_incident_at_her_workplace_breaches_the_exclusion_zone():
    visit = replace(TEXT, channel=Channel.IN_PERSON, place=Place.VICTIM_WORK)
    assert matches(visit, ZONE).reason == "at the victim's work inside the exclusion zone on 05 Jun 2026"


def test_a_place_outside_the_zone_is_not_a_match():
    assert matches(replace(TEXT, channel=Channel.IN_PERSON, place=Place.PUBLIC), ZONE) is None


def test_a_forbidden_behaviour_is_named_without_its_statute_letter():
    following = replace(NO_CONTACT, channels=frozenset(), behaviours=frozenset({Behaviour.FOLLOWING}))
    incident = replace(TEXT, channel=Channel.LOITERING, behaviours=frozenset({Behaviour.FOLLOWING}))
    assert matches(incident, following).reason == "behaviour: following on 05 Jun 2026"


def test_every_reason_is_given_when_several_apply():
    everything = replace(NO_CONTACT, zone_places=frozenset({Place.VICTIM_HOME}))
    incident = replace(
        TEXT, channel=Channel.IN_PERSON, place=Place.VICTIM_HOME, behaviours=frozenset({Behaviour.CONTACTING})
    )
    assert matches(incident, everything).reason == (
        "contact by in person; at the victim's home inside the exclusion zone; "
        "behaviour: contacting or attempting to contact on 05 Jun 2026"
    )


def test_find_matches_pairs_each_incident_with_each_condition_it_breaches():
    visit = replace(TEXT, id=11, channel=Channel.IN_PERSON, place=Place.VICTIM_WORK)
    found = find_matches([TEXT, visit], [NO_CONTACT, ZONE])
    assert {(m.incident_id, m.condition_id) for m in found} == {(10, 1), (11, 1), (11, 2)}


# --- Standard wording -------------------------------------------------------------------------------


def test_every_kind_of_condition_is_in_the_library():
    assert set(LIBRARY) == set(ConditionKind.values)


def test_no_contact_wording_names_the_victim():
    wording = standard_wording(ConditionKind.NO_CONTACT, ["Jane Doe"])
    assert wording.startswith("Not to contact Jane Doe directly or indirectly by any means")


def test_wording_names_every_protected_person():
    assert "Jane Doe and Amy Doe" in standard_wording(ConditionKind.NO_FOLLOWING, ["Jane Doe", "Amy Doe"])


def test_wording_without_names_says_the_protected_person():
    assert "about the protected person" in standard_wording(ConditionKind.NO_PUBLISHING, [])


@pytest.mark.parametrize(
    ("zone", "wording"),
    [
        # The address is a sealed detail: never in the wording (orders/zones.py).
        ({"address": "12 High Street", "radius_m": 200}, "Not to enter within 200 metres of the confidential address."),
        ({"area": "Harborne ward"}, "Not to enter the area of Harborne ward."),
        (
            {"address": "12 High Street", "radius_m": 100, "area": "Harborne ward"},
            "Not to enter within 100 metres of the confidential address or the area of Harborne ward.",
        ),
        ({"places": [Place.VICTIM_HOME, Place.SCHOOL]}, "Not to enter the victim's home, the school or nursery."),
        ({}, "Not to enter the exclusion zone."),
    ],
)
def test_exclusion_zone_wording_describes_the_zone(zone, wording):
    assert standard_wording(ConditionKind.EXCLUSION_ZONE, ["Jane Doe"], **zone) == wording


def test_a_free_condition_has_no_standard_wording():
    assert standard_wording(ConditionKind.FREE, ["Jane Doe"]) == ""


def test_no_contact_forbids_every_contact_channel_but_not_damage():
    channels = set(LIBRARY[ConditionKind.NO_CONTACT].channels)
    assert Channel.TEXT in channels and Channel.THIRD_PARTY in channels
    assert Channel.PROPERTY_DAMAGE not in channels
