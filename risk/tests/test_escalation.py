"""The escalation detector: pure, no database."""

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casework.choices import Behaviour, Channel, Circumstance, EntryKind, EntryPlace, Impact, Place, Threat
from risk import escalation
from risk.escalation import (
    LEVELS,
    AssessmentFacts,
    BreachFacts,
    Escalation,
    IncidentFacts,
    RulesError,
    TimelineFacts,
    builtin_rules,
    level_rose,
    parse_rules,
    rung,
)

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
TRACKING = "Tracking or monitoring of the victim (a device or spyware suspected)"


def inc(
    id: int,
    days_ago: float,
    channel: str = Channel.TEXT,
    *,
    place: str = "",
    behaviours=(),
    threats=(),
    weapon=False,
    injury=False,
    count=1,
    feared=False,
    impacts=(),
    identity="",
) -> IncidentFacts:
    return IncidentFacts(
        number=id,
        occurred_at=NOW - timedelta(days=days_ago),
        channel=channel,
        place=place,
        behaviours=frozenset(behaviours),
        threats=frozenset(threats),
        weapon=weapon,
        injury=injury,
        count=count,
        victim_feared_violence=feared,
        impacts=frozenset(impacts),
        identity=identity,
    )


def detect(case: TimelineFacts) -> Escalation:
    return escalation.detect(case, builtin_rules())


def facts(*incidents, breaches=(), warnings=(), assessments=()) -> TimelineFacts:
    return TimelineFacts(tuple(incidents), tuple(breaches), tuple(warnings), tuple(assessments), now=NOW)


def assessment(days_ago: int, yes: int, fear: int, grade: str = "medium") -> AssessmentFacts:
    return AssessmentFacts(NOW - timedelta(days=days_ago), yes, grade, fear)


def test_empty_case_is_none() -> None:
    result = detect(facts())
    assert result == Escalation("none", 0, (), (), "v1", builtin_rules().level_meaning["none"])


def test_case_study_calls_following_school_then_three_breaches() -> None:
    """The report's case study: calls → following in a car → at the son's school → breaching a restraining order 3×."""
    calls = [inc(n, 100 - 10 * n, Channel.PHONE_CALL) for n in range(1, 5)]  # days 90..60
    following = inc(5, 40, Channel.LOITERING, place=Place.PUBLIC, behaviours={Behaviour.FOLLOWING})
    school = inc(6, 20, Channel.IN_PERSON, place=Place.SCHOOL)
    breaches = [BreachFacts(n, NOW - timedelta(days=20 - 5 * n), "restraining_order") for n in (1, 2, 3)]
    result = detect(facts(*calls, following, school, breaches=breaches))

    assert result.level in ("high", "critical")
    assert "First physical proximity (after phone calls) (incident #5)" in result.reasons
    assert (
        "First turning up at or getting into the victim's home, car, work or school (after phone calls) (incident #6)"
        in result.reasons
    )
    assert "Breach of restraining order 3 times (17 May 2025, 22 May 2025, 27 May 2025) (breaches 1, 2, 3)" in (
        result.reasons
    )
    severity = next(s for s in result.signals if s.name == "severity")
    assert [r.incidents for r in severity.reasons] == [(5,), (6,)]
    breach = next(s for s in result.signals if s.name == "breaches")
    assert breach.reasons[0].breach_ids == (1, 2, 3)
    assert breach.weight == 10  # 6 for the first, 2 for each further one


@pytest.mark.parametrize(
    ("name", "case", "level", "reason"),
    [
        ("one text", facts(inc(1, 3)), "none", None),
        (
            "threat to kill",
            facts(inc(12, 3, threats={Threat.KILL})),
            "high",
            "Threat to kill in the last 12 months (incident #12)",
        ),
        (
            "threat to kill and a weapon",
            facts(inc(1, 9, threats={Threat.KILL}), inc(2, 3, Channel.IN_PERSON, weapon=True)),
            "critical",
            "At least critical: a threat to kill and a weapon (incidents #1–#2)",
        ),
        (
            "a breach with no incidents",
            facts(breaches=[BreachFacts(7, NOW - timedelta(days=2), "spo")]),
            "high",
            "At least high: a breach of an order or bail (breach 7)",
        ),
        (
            "contact after a warning",
            facts(inc(1, 20), inc(2, 5), warnings=[NOW - timedelta(days=10)]),
            "rising",
            "Contact after a warning or arrest on 22 May 2025 (incident #2)",
        ),
        ("tracking", facts(inc(3, 5, Channel.TRACKING)), "rising", f"{TRACKING} (incident #3)"),
        (
            "monitoring behaviour",
            facts(inc(3, 5, Channel.EMAIL, behaviours={Behaviour.MONITORING})),
            "rising",
            f"{TRACKING} (incident #3)",
        ),
        (
            "suicide threat",
            facts(inc(4, 5, threats={Threat.SUICIDE})),
            "rising",
            "Suicide threat in the last 12 months (incident #4)",
        ),
        (
            "sexual threat",
            facts(inc(4, 5, threats={Threat.SEXUAL})),
            "rising",
            "Sexual threat in the last 12 months (incident #4)",
        ),
        (
            "fixation: 7 days of texts in 14",
            facts(*(inc(n, n) for n in range(1, 8))),
            "rising",
            "Contact on 7 of the last 14 days (incidents #1–#7)",
        ),
        (
            "4 days in 14 is neither fixation nor persistence",
            facts(*(inc(n, n) for n in range(1, 5))),
            "none",
            None,
        ),
        (
            "visits on 4 days in a week",
            facts(*(inc(n, 60 + n, Channel.IN_PERSON, place=Place.PUBLIC) for n in range(1, 5))),
            "rising",
            "Visits or following on 4 days in one week (from 29 Mar 2025) (incidents #1–#4)",
        ),
        (
            "acceleration",
            facts(*(inc(n, 40 + 10 * n) for n in range(1, 11)), inc(20, 3, count=5), inc(21, 2, count=5)),
            "high",  # with persistence (12 days in 12 months) and resumption after a gap
            "Contact is accelerating: 10 contacts in the last 14 days (0.7 a day) against 0.1 a day before "
            "(incidents #20–#21)",
        ),
        (
            "resumed after a gap",
            facts(inc(1, 200), inc(2, 150), inc(3, 100), inc(4, 2)),
            "none",
            "Contact resumed after 98 days without any (incidents #3–#4)",
        ),
        (
            "third parties drawn in",
            facts(inc(1, 3, Channel.THIRD_PARTY)),
            "none",
            "Third parties or children used to reach her (incident #1)",
        ),
        (
            "new identity and new channel",
            facts(inc(1, 90, Channel.TEXT), inc(2, 5, Channel.SOCIAL_MEDIA, identity="account:new")),
            "rising",
            "Contact from 1 new number, account or name (incident #2)",
        ),
        (
            "fear rising across assessments",
            facts(inc(1, 90), assessments=[assessment(60, 5, 1), assessment(10, 9, 3)]),
            "rising",
            "The victim's fear has risen: 1 to 3 fear answers (02 Apr 2025 to 22 May 2025)",
        ),
        (
            "recent impact and fear",
            facts(inc(5, 3, feared=True, impacts={Impact.CHANGED_ROUTE})),
            "rising",
            "Effects on the victim's day-to-day life recorded in the last 30 days (incident #5)",
        ),
        (
            "climbing from texts to violence",
            facts(inc(1, 50), inc(2, 10, Channel.IN_PERSON, injury=True)),
            "critical",
            "First violence or a weapon (after remote or indirect contact) (incident #2)",
        ),
    ],
)
def test_signals(name: str, case: TimelineFacts, level: str, reason: str | None) -> None:
    result = detect(case)
    assert result.level == level, (name, result.score, result.reasons)
    if reason is not None:
        assert reason in result.reasons, result.reasons
    assert result.score == sum(s.weight for s in result.signals)


@pytest.mark.parametrize(
    ("old", "new", "rose"),
    [("none", "rising", True), ("rising", "rising", False), ("critical", "high", False), ("high", "critical", True)],
)
def test_level_rose(old: str, new: str, rose: bool) -> None:
    assert level_rose(old, new) is rose


@pytest.mark.parametrize(
    ("incident", "expected"),
    [
        (inc(1, 1, Channel.EMAIL), 0),
        (inc(1, 1, Channel.PHONE_CALL), 1),
        (inc(1, 1, Channel.PHONE_CALL, place=Place.VICTIM_HOME), 1),  # a call taken at home is not a visit
        (inc(1, 1, Channel.GIFT, place=Place.PUBLIC), 2),
        (inc(1, 1, Channel.TEXT, behaviours={Behaviour.WATCHING}), 2),
        (inc(1, 1, Channel.IN_PERSON, place=Place.VICTIM_WORK), 3),
        (inc(1, 1, Channel.TEXT, threats={Threat.VIOLENCE}), 4),
        (inc(1, 1, Channel.IN_PERSON, weapon=True), 5),
    ],
)
def test_rung(incident: IncidentFacts, expected: int) -> None:
    assert rung(incident) == expected


def test_the_builtin_table_parses_and_every_level_has_a_meaning() -> None:
    rules = builtin_rules()
    assert rules.version == "v1"
    assert rules.level_for(0) == "none" and rules.level_for(rules.levels["critical"]) == "critical"
    assert set(rules.level_meaning) == set(LEVELS)


def test_a_table_missing_or_inventing_keys_is_refused_naming_them() -> None:
    raw = json.loads(escalation.BUILTIN_RULES.read_text())
    del raw["weights"]["intrusion_forced"]
    raw["thresholds"]["made_up"] = 3
    raw["floors"]["weapon"] = "severe"
    with pytest.raises(RulesError) as refused:
        parse_rules(raw)
    message = str(refused.value)
    assert "weights: missing intrusion_forced" in message
    assert "thresholds: unknown made_up" in message
    assert "floors: not valid: weapon" in message


def test_the_levels_must_climb() -> None:
    raw = json.loads(escalation.BUILTIN_RULES.read_text())
    raw["levels"]["high"] = 1
    with pytest.raises(RulesError, match="rising < high < critical"):
        parse_rules(raw)


def test_a_weight_changed_in_the_table_changes_the_score() -> None:
    raw = json.loads(escalation.BUILTIN_RULES.read_text())
    raw["weights"]["intrusion_tried"] = 9
    tried = facts(IncidentFacts(1, NOW - timedelta(days=2), Channel.IN_PERSON, entry="tried", entry_place="car"))
    assert escalation.detect(tried, builtin_rules()).score == 3
    assert escalation.detect(tried, parse_rules(raw)).level == "high"


# --- Properties ---------------------------------------------------------------------------------
DAY = 86_400
incident_fields = st.fixed_dictionaries(
    {
        "seconds_ago": st.integers(0, 400 * DAY),
        "channel": st.sampled_from(Channel.values),
        "place": st.sampled_from(["", *Place.values]),
        "behaviours": st.frozensets(st.sampled_from(Behaviour.values), max_size=2),
        "threats": st.frozensets(st.sampled_from(Threat.values), max_size=2),
        "weapon": st.booleans(),
        "injury": st.booleans(),
        "count": st.integers(1, 50),
        "victim_feared_violence": st.booleans(),
        "impacts": st.frozensets(st.sampled_from(Impact.values), max_size=1),
        "identity": st.sampled_from(["", "phone:+447700900001", "account:x"]),
        "entry": st.sampled_from(["", *EntryKind.values]),
        "entry_place": st.sampled_from(list(EntryPlace.values)),
        "circumstances": st.frozensets(st.sampled_from(Circumstance.values), max_size=2),
    }
)


def _incident(id: int, f: dict) -> IncidentFacts:
    f = dict(f)
    return IncidentFacts(number=id, occurred_at=NOW - timedelta(seconds=f.pop("seconds_ago")), **f)


timelines = st.builds(
    lambda rows, breaches, warnings, fears: TimelineFacts(
        tuple(_incident(n, f) for n, f in enumerate(rows, start=1)),
        tuple(BreachFacts(n, NOW - timedelta(seconds=s), "bail") for n, s in enumerate(breaches, start=1)),
        tuple(NOW - timedelta(seconds=s) for s in warnings),
        tuple(AssessmentFacts(NOW - timedelta(days=30 * k), 5 + f, "medium", f) for k, f in enumerate(fears)),
        now=NOW,
    ),
    st.lists(incident_fields, max_size=25),
    st.lists(st.integers(0, 400 * DAY), max_size=2),
    st.lists(st.integers(0, 400 * DAY), max_size=2),
    st.lists(st.integers(0, 10), max_size=3),
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(timelines)
def test_level_is_one_of_levels(case: TimelineFacts) -> None:
    result = detect(case)
    assert result.level in LEVELS
    assert result.score >= 0
    assert result.score == sum(s.weight for s in result.signals)


@SETTINGS
@given(timelines, st.randoms(use_true_random=False))
def test_order_does_not_matter(case: TimelineFacts, rnd: random.Random) -> None:
    shuffled = TimelineFacts(
        tuple(rnd.sample(case.incidents, len(case.incidents))),
        tuple(rnd.sample(case.breaches, len(case.breaches))),
        tuple(rnd.sample(case.warnings_or_arrests, len(case.warnings_or_arrests))),
        tuple(rnd.sample(case.assessments, len(case.assessments))),
        now=case.now,
    )
    assert detect(shuffled) == detect(case)


@SETTINGS
@given(timelines, incident_fields)
def test_a_more_severe_incident_never_lowers_the_level(case: TimelineFacts, fields: dict) -> None:
    new = _incident(len(case.incidents) + 1, {**fields, "seconds_ago": 0})
    assume(all(rung(new) >= rung(i) for i in case.incidents))
    before, after = detect(case), detect(TimelineFacts(case.incidents + (new,), *_rest(case), now=NOW))
    assert not level_rose(after.level, before.level)
    assert after.score >= before.score


@SETTINGS
@given(timelines)
def test_violence_with_a_weapon_and_threat_to_kill_now_is_critical(case: TimelineFacts) -> None:
    new = inc(len(case.incidents) + 1, 0, Channel.IN_PERSON, threats={Threat.KILL}, weapon=True, injury=True)
    after = detect(TimelineFacts(case.incidents + (new,), *_rest(case), now=NOW))
    assert after.level == "critical"
    assert not level_rose(after.level, detect(case).level)


def _rest(case: TimelineFacts) -> tuple:
    return case.breaches, case.warnings_or_arrests, case.assessments
