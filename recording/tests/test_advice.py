"""The stalking identification aid: pure, no database. Case studies from the 2017 inspection are acceptance tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from casework.choices import Behaviour, Channel, Impact, Relationship, Threat
from recording import advice as a
from recording.advice import Advice, CaseFacts, IncidentFacts, advise, render_text
from recording.choices import Classification, Offence

BASE = datetime(2023, 3, 1, 19, 0, tzinfo=UTC)


def incident(
    id: int,
    day: float = 0,
    channel: str = Channel.TEXT,
    *,
    behaviours: Iterable[str] = (),
    threats: Iterable[str] = (),
    count: int = 1,
    feared: bool = False,
    impacts: Iterable[str] = (),
    injury: bool = False,
    until_days: float | None = None,
    victim_id: int | None = None,
) -> IncidentFacts:
    at = BASE + timedelta(days=day)
    return IncidentFacts(
        id=id,
        occurred_at=at,
        occurred_until=None if until_days is None else at + timedelta(days=until_days),
        channel=channel,
        place="",
        behaviours=frozenset(behaviours),
        threats=frozenset(threats),
        count=count,
        victim_feared_violence=feared,
        impacts=frozenset(impacts),
        weapon=False,
        injury=injury,
        victim_id=victim_id,
    )


def case(*incidents: IncidentFacts, relationship: str = Relationship.STRANGER) -> CaseFacts:
    return CaseFacts(relationship=relationship, incidents=incidents)


def offences(advice: Advice) -> list[str]:
    return [s.offence for s in advice.suggestions]


def marker(advice: Advice, name: str) -> a.Marker:
    return {m.name: m for m in (*advice.four, advice.s4a, advice.s4)}[name]


# Inspection case study: he follows her home from the gym, finds her Facebook, messages her as someone else.
GYM = case(
    incident(1, 0, Channel.IN_PERSON, behaviours={Behaviour.FOLLOWING}),
    incident(2, 2, Channel.SOCIAL_MEDIA),
    incident(3, 4, Channel.SOCIAL_MEDIA, count=3),
)
# Inspection case study: a neighbour pesters a vulnerable woman for money for ten months, with no violence;
# she stops going out and changes her routine.
NEIGHBOUR = case(
    *(incident(n, 30 * (n - 1), Channel.IN_PERSON, behaviours={Behaviour.CONTACTING}) for n in range(1, 7)),
    *(
        incident(n, 30 * (n - 1), Channel.IN_PERSON, behaviours={Behaviour.CONTACTING}, impacts=impacts)
        for n, impacts in [(7, {Impact.STOPPED_GOING_OUT}), (8, {Impact.CHANGED_ROUTE}), (9, ()), (10, ())]
    ),
    relationship=Relationship.NEIGHBOUR,
)
MESSAGES = case(incident(1, 0, Channel.TEXT, count=6), incident(2, 1, Channel.TEXT, count=4))
SINGLE = case(incident(1, 0, Channel.TEXT, count=3))


def test_it_suggests_stalking_when_he_follows_her_then_contacts_her_online() -> None:
    advice = advise(GYM)
    first = advice.suggestions[0]
    assert (first.classification, first.offence) == (Classification.STALKING, Offence.PHA_S2A)
    assert first.headline == "Consider 8Q stalking (PHA 1997 s.2A)"
    cited = {r.text: r.incident_ids for r in first.reasons}
    assert cited["s.2A(3)(a) following"] == (1,)
    assert cited["s.2A(3)(b) contacting or attempting to contact"] == (2, 3)
    assert not advice.suggests(Classification.MALICIOUS_COMMUNICATIONS)
    text = render_text(advice)[0]
    assert text.startswith("Consider 8Q stalking (PHA 1997 s.2A), because: s.2A(3)(a) following")
    assert "(incidents 2, 3)" in text


def test_it_considers_s4a_for_the_neighbour_whose_life_changed() -> None:
    advice = advise(NEIGHBOUR)
    assert advice.course_of_conduct and advice.occasions == 10 and advice.span_days == 270
    assert advice.s4a.present and not advice.s4.present
    assert offences(advice) == [Offence.PHA_S4A, Offence.PHA_S2A]
    effect = next(r for r in advice.suggestions[0].reasons if r.text.startswith("substantial adverse effect"))
    assert effect.incident_ids == (7, 8)
    assert "stopped going out" in effect.text and "changed route" in effect.text
    assert marker(advice, "fixated").reasons[0].incident_ids == (1, 10)
    assert not any(r.text.startswith("fear of violence is needed") for r in advice.suggestions[0].reasons)


def test_it_suggests_harassment_not_malicious_communications_for_messages_over_two_days() -> None:
    advice = advise(MESSAGES)
    assert advice.course_of_conduct and advice.contacts == 10
    assert [(s.classification, s.offence) for s in advice.suggestions] == [(Classification.HARASSMENT, Offence.PHA_S2)]
    not_mc = [r for r in advice.suggestions[0].reasons if r.text.startswith("malicious communications is not")]
    assert [r.incident_ids for r in not_mc] == [(1, 2)]


def test_it_finds_no_course_of_conduct_in_a_single_incident() -> None:
    advice = advise(SINGLE)
    assert not advice.course_of_conduct and advice.occasions == 1
    [only] = advice.suggestions
    assert (only.classification, only.offence) == ("", "")
    assert only.headline.startswith("No course of conduct yet")
    assert "no PHA offence is suggested" in only.reasons[0].text
    assert any("record any that happened on a separate occasion" in r.text for r in only.reasons)
    assert not any(m.present for m in advice.four if m.name != "obsessive")


def test_it_handles_a_case_with_no_incidents() -> None:
    advice = advise(case())
    assert (advice.occasions, advice.span_days, advice.course_of_conduct) == (0, 0, False)
    assert advice.suggestions[0].headline == "No incidents recorded yet"


@pytest.mark.parametrize("facts", [GYM, NEIGHBOUR, MESSAGES, SINGLE], ids=["gym", "neighbour", "messages", "single"])
def test_it_cites_only_incidents_of_the_case(facts: CaseFacts) -> None:
    ids = {i.id for i in facts.incidents}
    advice = advise(facts)
    reasons = [r for s in advice.suggestions for r in s.reasons] + [r for m in advice.four for r in m.reasons]
    assert reasons and all(set(r.incident_ids) <= ids for r in reasons)
    assert any(r.incident_ids for s in advice.suggestions for r in s.reasons)


@pytest.mark.parametrize(
    ("channel", "behaviours"),
    [
        (Channel.LOITERING, {Behaviour.LOITERING, Behaviour.WATCHING, Behaviour.FOLLOWING}),
        (Channel.TRACKING, {Behaviour.MONITORING}),
        (Channel.ONLINE_PUBLICATION, {Behaviour.PUBLISHING}),
        (Channel.PROPERTY_DAMAGE, {Behaviour.INTERFERING_PROPERTY}),
        *((c, {Behaviour.CONTACTING}) for c in ["text", "phone_call", "email", "social_media", "messaging_app"]),
        *((c, {Behaviour.CONTACTING}) for c in ["letter", "gift", "third_party"]),
        (Channel.IN_PERSON, set()),
    ],
)
def test_it_derives_behaviours_from_the_channel(channel: str, behaviours: set[str]) -> None:
    assert set(a.behaviours_shown([incident(7, channel=channel)])) == behaviours


def test_it_merges_tagged_and_channel_behaviours_in_statutory_order() -> None:
    shown = a.behaviours_shown([incident(2, channel=Channel.TEXT), incident(1, behaviours={Behaviour.WATCHING})])
    assert shown == {Behaviour.CONTACTING: (1, 2), Behaviour.WATCHING: (1,)}


@pytest.mark.parametrize(
    ("incidents", "name", "present"),
    [
        ([incident(1, 0), incident(2, 13)], "fixated", False),
        ([incident(1, 0), incident(2, 14)], "fixated", True),
        ([incident(1, 0), incident(2, 1, until_days=13)], "fixated", True),
        ([incident(n, n) for n in range(1, 5)], "fixated", False),
        ([incident(n, n) for n in range(1, 6)], "fixated", True),
        ([incident(1, 0), incident(2, 1)], "obsessive", False),
        ([incident(1, 0, count=12), incident(2, 0.1, count=8)], "obsessive", True),
        ([incident(1, 0, count=12), incident(2, 0.1, count=7)], "obsessive", False),
        ([incident(1, 0, count=30, until_days=3), incident(2, 5)], "obsessive", False),
        ([incident(1, 0, "text"), incident(2, 1, "email"), incident(3, 2, "phone_call")], "obsessive", True),
        ([incident(1, 0), incident(2, 1, Channel.THIRD_PARTY)], "obsessive", True),
        ([incident(1, 0)], "unwanted", False),
        ([incident(1, 0), incident(2, 1)], "unwanted", True),
        ([incident(1, 0, count=40)], "repeated", False),
        ([incident(1, 0), incident(2, 0.01)], "repeated", True),
    ],
)
def test_it_scores_four_against_the_thresholds(incidents: list[IncidentFacts], name: str, present: bool) -> None:
    result = marker(advise(case(*incidents)), name)
    assert result.present is present
    assert result.reasons


def test_it_counts_a_day_by_the_clock_in_england() -> None:
    late = datetime(2023, 6, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 June in London (BST)
    facts = [incident(1, count=10), incident(2, count=10)]
    facts = [
        IncidentFacts(**{**vars(facts[0]), "occurred_at": late}),
        IncidentFacts(**{**vars(facts[1]), "occurred_at": late + timedelta(hours=12)}),
    ]
    obsessive = marker(advise(case(*facts)), "obsessive")
    assert obsessive.present
    assert obsessive.reasons[0].text == "20 acts on 02 Jun 2023 alone"


@pytest.mark.parametrize(
    ("incidents", "expected"),
    [
        ([incident(1, 0), incident(2, 3)], [Offence.PHA_S2]),
        ([incident(1, 0), incident(2, 3, Channel.TRACKING)], [Offence.PHA_S2A]),
        ([incident(1, 0), incident(2, 3, behaviours={Behaviour.LOITERING})], [Offence.PHA_S2A]),
        ([incident(1, 0), incident(2, 20)], [Offence.PHA_S2A]),  # fixated + unwanted + repeated
        ([incident(1, 0), incident(2, 3, Channel.THIRD_PARTY)], [Offence.PHA_S2A]),  # obsessive + U + R
        ([incident(1, 0, feared=True), incident(2, 3, feared=True)], [Offence.PHA_S4, Offence.PHA_S2]),
        ([incident(1, 0, feared=True), incident(2, 3)], [Offence.PHA_S2]),
        (
            [incident(1, 0, Channel.LOITERING, feared=True), incident(2, 3, feared=True)],
            [Offence.PHA_S4A, Offence.PHA_S2A],
        ),
        (
            [incident(1, 0, Channel.LOITERING), incident(2, 3, impacts={Impact.MOVED_HOME})],
            [Offence.PHA_S4A, Offence.PHA_S2A],
        ),
        ([incident(1, 0), incident(2, 3, impacts={Impact.MOVED_HOME})], [Offence.PHA_S2]),
        ([incident(1, 0, Channel.LOITERING)], [""]),
    ],
)
def test_it_suggests_offences_most_serious_first(incidents: list[IncidentFacts], expected: list[str]) -> None:
    assert offences(advise(case(*incidents))) == expected


@pytest.mark.parametrize(
    ("incidents", "s4", "s4a"),
    [
        ([incident(1, 0, feared=True), incident(2, 1)], False, False),
        ([incident(1, 0, feared=True), incident(2, 1, feared=True)], True, True),
        ([incident(1, 0), incident(2, 1, impacts={Impact.HEALTH_HARM})], False, True),
        ([incident(1, 0, threats={Threat.KILL}), incident(2, 1)], False, False),
    ],
)
def test_it_marks_the_s4_and_s4a_limbs(incidents: list[IncidentFacts], s4: bool, s4a: bool) -> None:
    advice = advise(case(*incidents))
    assert (advice.s4.present, advice.s4a.present) == (s4, s4a)


def test_it_asks_about_fear_where_threats_were_made() -> None:
    advice = advise(case(incident(1, 0, threats={Threat.VIOLENCE}), incident(2, 1)))
    assert any(r.text.startswith("threats of violence recorded") and r.incident_ids == (1,) for r in advice.s4.reasons)


def test_it_suggests_s4a_from_the_impact_when_harassment_becomes_stalking() -> None:
    advice = advise(case(incident(1, 0), incident(2, 3, impacts={Impact.MOVED_HOME})))
    assert any("consider s.4A" in r.text and r.incident_ids == (2,) for r in advice.suggestions[0].reasons)


@pytest.mark.parametrize(
    ("relationship", "flagged"),
    [
        (Relationship.EX_PARTNER, True),
        (Relationship.CURRENT_PARTNER, True),
        (Relationship.FAMILY, True),
        (Relationship.NEIGHBOUR, False),
        ("", False),
    ],
)
def test_it_prompts_domestic_abuse_flagging(relationship: str, flagged: bool) -> None:
    for facts in (GYM, SINGLE):
        advice = advise(CaseFacts(relationship=relationship, incidents=facts.incidents))
        domestic = [r for r in advice.suggestions[0].reasons if "domestic abuse" in r.text]
        assert bool(domestic) is flagged
        assert all(r.incident_ids == tuple(sorted(i.id for i in facts.incidents)) for r in domestic)


def test_it_says_when_the_incidents_name_more_than_one_victim() -> None:
    advice = advise(case(incident(1, 0, victim_id=5), incident(2, 1, victim_id=6)))
    assert any("2 victims" in r.text for r in advice.suggestions[0].reasons)


def test_it_points_to_the_principal_crime_rule_when_she_was_injured() -> None:
    advice = advise(case(incident(1, 0, Channel.LOITERING), incident(2, 2, Channel.IN_PERSON, injury=True)))
    assert any("principal crime rule" in r.text and r.incident_ids == (2,) for r in advice.suggestions[0].reasons)


def test_it_reads_the_facts_off_an_incident() -> None:
    row = SimpleNamespace(
        id=9,
        occurred_at=BASE,
        occurred_until=None,
        channel=Channel.TEXT,
        place="",
        behaviours=["watching"],
        threats=[],
        count=4,
        victim_feared_violence=True,
        impacts=["moved_home"],
        weapon="knife",
        injury=False,
        victim_id=3,
    )
    facts = IncidentFacts.from_incident(row)
    assert facts.behaviours == {"watching"} and facts.impacts == {"moved_home"}
    assert (facts.weapon, facts.count, facts.victim_id, facts.ends_at) == (True, 4, 3, BASE)


def test_it_renders_one_sentence_per_suggestion() -> None:
    lines = render_text(advise(NEIGHBOUR))
    assert len(lines) == 2
    assert lines[0].startswith("Consider 8Q stalking involving fear of violence or serious alarm or distress")
    assert lines[1].startswith("Consider 8Q stalking (PHA 1997 s.2A), because: ")
    assert all(line.endswith(".") for line in lines)
