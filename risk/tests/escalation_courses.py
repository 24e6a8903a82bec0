"""Synthetic courses of conduct from the stalking literature and domain.md, each with the level the
escalation detector must reach and the words its reasons must cite. Shared by the table-driven test
(test_escalation_courses.py) and bench/escalation.py, which prints the detector's levels on them.

Where a course comes from: the inspection's findings (domain.md §0: campaigns of years seen one incident
at a time), the stalking questions (§2.1), Monckton-Smith's stages (§3.3), the markers of §12.5, and the
escalation issue's own examples (persistence, intrusion, new identities, his history, time).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from casework.choices import Behaviour, Channel, Circumstance, EntryKind, EntryPlace, Impact, Place, Threat
from risk.escalation import BreachFacts, HistoryFacts, IncidentFacts, NoticeFacts, OtherCase, TimelineFacts

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
NIGHT = frozenset({Circumstance.AT_NIGHT})


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def inc(number: int, days_ago: float, channel: str = Channel.TEXT, *, reported: bool = False, **kw) -> IncidentFacts:
    """Incident #number, `days_ago` days before NOW; `reported` means the victim reported it that day."""
    for name in ("behaviours", "threats", "impacts", "circumstances"):
        if name in kw:
            kw[name] = frozenset(kw[name])
    occurred = ago(days_ago)
    return IncidentFacts(number, occurred, channel, reported_at=occurred if reported else None, **kw)


NO_HISTORY = HistoryFacts()


def timeline(*incidents, breaches=(), warnings=(), history=NO_HISTORY) -> TimelineFacts:
    return TimelineFacts(tuple(incidents), tuple(breaches), tuple(warnings), (), history, now=NOW)


@dataclass(frozen=True)
class Course:
    name: str
    source: str  # where the pattern comes from
    facts: TimelineFacts
    level: str  # the level the detector must reach
    words: tuple[str, ...]  # what its reasons must say (incident numbers included)


COURSES = [
    Course(
        "A steady campaign: a text every fortnight for three years, each reported",
        "inspection §0 (years seen one at a time); SRP persistence; MARAC potential escalation",
        timeline(*(inc(n, 14 * (79 - n), reported=True) for n in range(1, 79))),
        "high",
        ("Going on for 2 years 11 months", "26 different days in the last 12 months", "Reported to police on 26 days"),
    ),
    Course(
        "Monthly letters for eighteen months, reported three times",
        "persistence beyond two weeks (Purcell, Pathé & Mullen 2004); MARAC 3 incidents in 12 months",
        timeline(*(inc(n, 30 * (19 - n), Channel.LETTER, reported=n in (12, 15, 18)) for n in range(1, 19))),
        "high",
        (
            "Going on for 1 year 4 months",
            "Reported to police on 3 days in the last 12 months (incidents #12, #15, #18)",
        ),
    ),
    Course(
        "Messages on five days over six weeks",
        "PHA s.7 course of conduct; persistence threshold",
        timeline(*(inc(n + 1, 42 - 9 * n) for n in range(5))),
        "rising",
        ("Contact on 5 different days in the last 12 months",),
    ),
    Course(
        "One night: he forces his way into her home",
        "Monckton-Smith stage 7; Monckton-Smith, Szymanska & Haile 2017 (presence at the home)",
        timeline(
            inc(1, 1, Channel.IN_PERSON, entry=EntryKind.FORCED, entry_place=EntryPlace.HOME, circumstances=NIGHT)
        ),
        "critical",
        ("he got into her home at night (incident #1)", "Forced entry into her home (incident #1)"),
    ),
    Course(
        "Found in her bedroom at night",
        "the escalation issue; S-DASH turning up unannounced",
        timeline(
            inc(1, 40),
            inc(2, 2, Channel.IN_PERSON, entry=EntryKind.ENTERED, entry_place=EntryPlace.BEDROOM, circumstances=NIGHT),
        ),
        "critical",
        ("Got into her bedroom (incident #2)", "In her bedroom (incident #2)", "At her home at night (incident #2)"),
    ),
    Course(
        "He tried her front door in the afternoon",
        "stalking question 4–5 (at her home)",
        timeline(inc(1, 3, Channel.IN_PERSON, entry=EntryKind.TRIED, entry_place=EntryPlace.HOME)),
        "rising",
        ("Tried to get into her home (incident #1)",),
    ),
    Course(
        "He got into her car",
        "intrusion (Suzy Lamplugh Trust definition: intrusive)",
        timeline(inc(1, 6, Channel.IN_PERSON, entry=EntryKind.ENTERED, entry_place=EntryPlace.CAR)),
        "rising",
        ("Got into her car (incident #1)",),
    ),
    Course(
        "Online fixation turning physical: daily messages for two months, then at her door",
        "Sheridan & Grant 2007 (online pursuit moving offline); FOUR; severity ladder",
        timeline(
            *(inc(n, 61 - n, Channel.SOCIAL_MEDIA) for n in range(1, 61)),
            inc(61, 1, Channel.IN_PERSON, place=Place.VICTIM_HOME),
        ),
        "critical",
        ("Contact on 14 of the last 14 days", "First turning up at or getting into", "(incident #61)"),
    ),
    Course(
        "A new number after every block",
        "stalking question 9; persistence after being told to stop",
        timeline(*(inc(n + 1, 60 - 6 * n, identity=f"phone:+4477009001{n % 5}") for n in range(10))),
        "rising",
        ("Contact from 5 new numbers, accounts or names (incidents #1–#5)",),
    ),
    Course(
        "A breach of a restraining order by text",
        "DASH: breach of an order; domain.md §12.5",
        timeline(inc(1, 2), breaches=[BreachFacts(7, ago(2), "restraining_order")]),
        "high",
        ("At least high: a breach of an order or bail (breach 7)", "Breach of restraining order once"),
    ),
    Course(
        "Three breaches of bail",
        "DASH: breaches of bail; repeat breach",
        timeline(*(inc(n, 3 * n) for n in (1, 2, 3)), breaches=[BreachFacts(n, ago(3 * n), "bail") for n in (1, 2, 3)]),
        "high",
        ("Breach of bail 3 times",),
    ),
    Course(
        "A suspect with earlier cases against other women, a conviction and breaches there",
        "stalking question 2 (harassed others before); Monckton-Smith stage 1 (history)",
        timeline(
            inc(1, 10),
            inc(2, 4),
            history=HistoryFacts(
                his_cases=(OtherCase(ago(900), shared=False), OtherCase(ago(400), shared=False)),
                breaches_elsewhere=(ago(500),),
                convictions=(ago(800).date(),),
            ),
        ),
        "high",
        ("He is the suspect in 2 case(s) against someone else", "Convicted before", "He breached orders or bail"),
    ),
    Course(
        "His two earlier cases for the same victim and an old harassment warning",
        "the escalation issue (earlier cases ignored); stalking question 2; legacy notices as history",
        timeline(
            inc(1, 5),
            inc(2, 1),
            history=HistoryFacts(
                his_cases=(OtherCase(ago(700), shared=True), OtherCase(ago(300), shared=True)),
                her_cases=(OtherCase(ago(700), shared=True), OtherCase(ago(300), shared=True, reports_12m=4)),
                notices=(NoticeFacts(ago(650).date(), "harassment_warning"),),
            ),
        ),
        "rising",
        ("He is the suspect in 2 other case(s) against her", "Warned by police before: harassment warning"),
    ),
    Course(
        "A threat to kill by text",
        "DASH high-risk marker; SafeLives red flag",
        timeline(inc(1, 3, threats={Threat.KILL})),
        "high",
        ("At least high: a threat to kill (incident #1)", "Threat to kill in the last 12 months (incident #1)"),
    ),
    Course(
        "A threat to kill and a knife shown",
        "DASH; Monckton-Smith stage 7 (planning)",
        timeline(inc(1, 9, threats={Threat.KILL}), inc(2, 3, Channel.IN_PERSON, weapon=True)),
        "critical",
        ("At least critical: a threat to kill and a weapon (incidents #1–#2)",),
    ),
    Course(
        "A threat to kill eighteen months ago and nothing since",
        "time: a threat counts fully for 12 months, then as history",
        timeline(inc(1, 540, threats={Threat.KILL})),
        "none",
        ("Threats or a weapon more than 12 months ago (incident #1)",),
    ),
    Course(
        "A threat to kill eighteen months ago, and a card from him this month",
        "SRP recurrence: contact resumed by a man who threatened to kill her",
        timeline(inc(1, 540, threats={Threat.KILL}), inc(2, 20, Channel.LETTER)),
        "rising",
        ("Threats or a weapon more than 12 months ago (incident #1)", "New ways of making contact"),
    ),
    Course(
        "Outside her home four nights in a week; she is frightened and has stopped going out",
        "stalking questions 1, 4, 5; PHA s.4A (substantial adverse effect)",
        timeline(
            *(
                inc(
                    n,
                    8 - n,
                    Channel.LOITERING,
                    place=Place.VICTIM_HOME,
                    circumstances=NIGHT,
                    victim_feared_violence=True,
                    impacts={Impact.STOPPED_GOING_OUT},
                )
                for n in range(1, 5)
            )
        ),
        "high",
        ("Visits or following on 4 days in one week", "At her home at night (incidents #1–#4)"),
    ),
    Course(
        "Followed by car, then a tracker found on her car",
        "Monckton-Smith stages 3 and 7 (tracking, reconnaissance); stalking question 5",
        timeline(
            inc(
                1,
                12,
                Channel.LOITERING,
                behaviours={Behaviour.FOLLOWING},
                circumstances={Circumstance.FOLLOWED_BY_VEHICLE},
            ),
            inc(2, 2, Channel.TRACKING, circumstances={Circumstance.TRACKING_SUSPECTED}),
        ),
        "rising",
        ("Followed by vehicle (incident #1)", "Tracking or monitoring of the victim"),
    ),
    Course(
        "Texts, then at her children's school with the children there",
        "stalking question 7 (children drawn in); §12.5",
        timeline(
            inc(1, 80),
            inc(2, 60),
            inc(3, 45),
            inc(4, 2, Channel.IN_PERSON, place=Place.SCHOOL, circumstances={Circumstance.CHILDREN_PRESENT}),
        ),
        "high",
        ("At her children's school (incident #4)", "Children present (incident #4)"),
    ),
    Course(
        "Two texts two years ago and nothing since",
        "time: an old, short episode is not escalation",
        timeline(inc(1, 740), inc(2, 730)),
        "none",
        (),
    ),
    Course(
        "A text a week for months, then twenty a day",
        "SafeLives red flag: escalation in frequency; FOUR (fixated)",
        timeline(*(inc(n, 15 + 7 * n) for n in range(1, 15)), *(inc(14 + n, n, count=20) for n in range(1, 15))),
        "high",
        ("Contact is accelerating", "Contact on 14 of the last 14 days"),
    ),
    Course(
        "Texts carry on after his arrest",
        "breaches and contact after police action (§12.5)",
        timeline(inc(1, 20), inc(2, 5), warnings=[ago(10)]),
        "rising",
        ("Contact after a warning or arrest on 22 May 2025 (incident #2)",),
    ),
    Course(
        "Dozens of reports in one case in a year",
        "the escalation issue (repeat victim in one case); MARAC potential escalation",
        timeline(*(inc(n, 11 * (31 - n), reported=True) for n in range(1, 31))),
        "high",
        ("Reported to police on 30 days in the last 12 months",),
    ),
    Course(
        "She was targeted by another man last year",
        "Victims' Code (persistently targeted); repeat victim",
        timeline(inc(1, 4), history=HistoryFacts(her_cases=(OtherCase(ago(200), shared=False, reports_12m=2),))),
        "rising",
        ("She is the victim in 1 other case(s) with another suspect", "2 report(s) about her in her other cases"),
    ),
    Course(
        "New accounts and her friends used to reach her",
        "stalking questions 7 and 9",
        timeline(
            inc(1, 20, Channel.SOCIAL_MEDIA, identity="account:anon_1"),
            inc(2, 12, Channel.SOCIAL_MEDIA, identity="account:anon_2"),
            inc(3, 5, Channel.THIRD_PARTY),
        ),
        "rising",
        ("Contact from 2 new numbers, accounts or names (incidents #1–#2)", "Third parties or children used"),
    ),
    Course(
        "Her car's tyres slashed outside her home at night",
        "stalking question 3 (destroyed or vandalised her property)",
        timeline(
            inc(1, 3, Channel.PROPERTY_DAMAGE, place=Place.VICTIM_HOME, circumstances={Circumstance.DAMAGE, *NIGHT})
        ),
        "rising",
        ("Damage to or interference with her property (incident #1)", "At her home at night (incident #1)"),
    ),
]
