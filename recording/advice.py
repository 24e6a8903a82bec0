"""The stalking identification aid (domain.md §3.2, §12.7): FOUR, the s.2A(3) behaviours and a suggestion.

A pure rule engine over plain data (house style): no ORM and no database inside. The caller turns
incidents into `IncidentFacts` (`IncidentFacts.from_incident`) and gets back `Advice`, whose every
reason cites the incident ids it rests on, so an officer can check it against the incident log.

The advice is an aid to the recording decision, never the decision: it may suggest 8Q where the
officer finds it is not stalking (and records why), and it cannot see what the narrative says.

`CaseFacts` should hold the incidents of one victim (HOCR: one crime per victim); the advice says so
when it sees incidents naming more than one victim.

Thresholds are project choices, not law, unless a section is cited; they are module constants so a
force can change them (domain.md §12.16):

- Course of conduct: conduct on at least 2 occasions (PHA 1997 s.7(3)(a)). Each incident record is
  one occasion; a record with count 43 ("43 texts") is one occasion holding 43 acts, because the count
  may be a single burst. Separate occasions should be recorded as separate incidents.
- Fixated: the conduct persists: first to latest incident spans >= 14 days, or >= 5 occasions.
- Obsessive: the intensity of the conduct: >= 20 acts within one day, or >= 3 different channels,
  or contact through third parties or children.
- Unwanted: every incident here was reported to police as unwanted conduct, so the marker is present
  once there is a course of conduct. It says so rather than inventing evidence.
- Repeated: >= 2 occasions (the same test as the course of conduct).
  Because unwanted and repeated come with any course of conduct, "3 of the 4 FOUR markers" means a
  course of conduct that is also fixated or obsessive.
- Stalking (8Q, s.2A) is suggested for a course of conduct with at least one s.2A(3) behaviour other
  than bare contacting, or with >= 3 FOUR markers. Otherwise harassment (8L, s.2).
- s.4 / s.4A: the victim feared violence on >= 2 occasions (s.4(1), s.4A(1)(b)(i)); s.4A also where
  any effect on her day-to-day life is recorded (serious alarm or distress with a substantial adverse
  effect, s.4A(1)(b)(ii)). s.4A is suggested only with stalking, s.4 only without it.
- Malicious communications is never suggested for a course of conduct: the 2017 inspection
  (recommendation 2) asked forces to record harassment where there is a course of conduct.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from casework.choices import DOMESTIC_RELATIONSHIPS, Behaviour, Channel, Impact, Relationship, Threat
from recording.choices import OFFENCE_CLASSIFICATION, Offence

COURSE_OF_CONDUCT_MIN_OCCASIONS = 2  # PHA 1997 s.7(3)(a)
FIXATED_MIN_SPAN_DAYS = 14
FIXATED_MIN_OCCASIONS = 5
OBSESSIVE_MIN_ACTS_IN_A_DAY = 20
OBSESSIVE_MIN_CHANNELS = 3
OBSESSIVE_CHANNELS = frozenset({Channel.THIRD_PARTY})  # drawing in third parties or children
REPEATED_MIN_OCCASIONS = 2
STALKING_MIN_FOUR_MARKERS = 3
FEAR_MIN_OCCASIONS = 2  # PHA 1997 s.4(1), s.4A(1)(b)(i)
REPORTING_TZ = ZoneInfo("Europe/London")  # "a day" is a calendar day in England and Wales

# Channels that malicious communications (MCA 1988 s.1, CA 2003 s.127) could be recorded for.
COMMUNICATION_CHANNELS = frozenset(
    {Channel.TEXT, Channel.PHONE_CALL, Channel.EMAIL, Channel.SOCIAL_MEDIA, Channel.MESSAGING_APP, Channel.LETTER}
)
# s.2A(3) behaviours that a channel shows by itself; officers tag the rest on the incident.
# In-person incidents are not mapped: in person can be following, loitering or an approach.
CHANNEL_BEHAVIOURS: dict[str, frozenset[str]] = {
    Channel.LOITERING: frozenset({Behaviour.LOITERING, Behaviour.WATCHING, Behaviour.FOLLOWING}),
    Channel.TRACKING: frozenset({Behaviour.MONITORING}),
    Channel.ONLINE_PUBLICATION: frozenset({Behaviour.PUBLISHING}),
    Channel.PROPERTY_DAMAGE: frozenset({Behaviour.INTERFERING_PROPERTY}),
    **dict.fromkeys(COMMUNICATION_CHANNELS | {Channel.GIFT, Channel.THIRD_PARTY}, frozenset({Behaviour.CONTACTING})),
}
VIOLENT_THREATS = frozenset({Threat.VIOLENCE, Threat.KILL})

HEADLINES: dict[str, str] = {
    Offence.PHA_S2A: "Consider 8Q stalking (PHA 1997 s.2A)",
    Offence.PHA_S4A: "Consider 8Q stalking involving fear of violence or serious alarm or distress (PHA 1997 s.4A)",
    Offence.PHA_S2: "Consider 8L harassment (PHA 1997 s.2)",
    Offence.PHA_S4: "Consider 8L harassment: putting people in fear of violence (PHA 1997 s.4)",
}


@dataclass(frozen=True)
class IncidentFacts:
    id: int
    occurred_at: datetime
    occurred_until: datetime | None
    channel: str
    place: str
    behaviours: frozenset[str]
    threats: frozenset[str]
    count: int
    victim_feared_violence: bool
    impacts: frozenset[str]
    weapon: bool
    injury: bool
    victim_id: int | None

    @classmethod
    def from_incident(cls, incident: Any) -> IncidentFacts:
        """Read the facts off an Incident (or anything with the same attributes)."""
        return cls(
            id=incident.id,
            occurred_at=incident.occurred_at,
            occurred_until=incident.occurred_until,
            channel=incident.channel,
            place=incident.place or "",
            behaviours=frozenset(incident.behaviours or ()),
            threats=frozenset(incident.threats or ()),
            count=incident.count,
            victim_feared_violence=bool(incident.victim_feared_violence),
            impacts=frozenset(incident.impacts or ()),
            weapon=bool(incident.weapon),
            injury=bool(incident.injury),
            victim_id=getattr(incident, "victim_id", None),
        )

    @property
    def ends_at(self) -> datetime:
        return self.occurred_until or self.occurred_at


@dataclass(frozen=True)
class CaseFacts:
    relationship: str  # a Relationship value, or "" when not known
    incidents: tuple[IncidentFacts, ...]


@dataclass(frozen=True)
class Reason:
    text: str
    incident_ids: tuple[int, ...]

    def cited(self) -> str:
        """The reason with its incidents, e.g. "following (incidents 1, 4)"."""
        if not self.incident_ids:
            return self.text
        noun = "incident" if len(self.incident_ids) == 1 else "incidents"
        return f"{self.text} ({noun} {', '.join(str(i) for i in self.incident_ids)})"


@dataclass(frozen=True)
class Marker:
    name: str
    present: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Suggestion:
    classification: str  # "" for "no course of conduct yet"
    offence: str  # "" likewise
    headline: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Advice:
    course_of_conduct: bool
    occasions: int
    contacts: int  # acts in all: the sum of the incidents' counts
    span_days: int
    four: tuple[Marker, ...]  # fixated, obsessive, unwanted, repeated
    behaviours: dict[str, tuple[int, ...]] = field(hash=False)  # s.2A(3) behaviour → incident ids
    s4a: Marker
    s4: Marker
    suggestions: tuple[Suggestion, ...]  # most serious first

    def suggests(self, classification: str) -> bool:
        return any(s.classification == classification for s in self.suggestions)

    def suggestion_for(self, classification: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.classification == classification), None)


def _ids(incidents: Iterable[IncidentFacts]) -> tuple[int, ...]:
    return tuple(sorted({i.id for i in incidents}))


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _behaviour_name(value: str) -> str:
    """ "(a) Following" → "s.2A(3)(a) following"."""
    letter, _, name = _label(Behaviour, value).partition(" ")
    return f"s.2A(3){letter} {name[:1].lower()}{name[1:]}"


def _day(moment: datetime) -> date:
    return (moment.astimezone(REPORTING_TZ) if moment.tzinfo else moment).date()


def behaviours_shown(incidents: Iterable[IncidentFacts]) -> dict[str, tuple[int, ...]]:
    """s.2A(3) behaviour → ids of the incidents showing it, tagged or implied by the channel, in (a)–(g) order."""
    found: dict[str, set[int]] = defaultdict(set)
    for incident in incidents:
        for behaviour in incident.behaviours | CHANNEL_BEHAVIOURS.get(incident.channel, frozenset()):
            found[behaviour].add(incident.id)
    return {b: tuple(sorted(found[b])) for b in Behaviour.values if b in found}


def _fixated(incidents: tuple[IncidentFacts, ...], span_days: int, course: bool) -> Marker:
    all_ids = _ids(incidents)
    if not course:
        return Marker("fixated", False, (Reason("one occasion only: no persistence to show yet", all_ids),))
    reasons = []
    if span_days >= FIXATED_MIN_SPAN_DAYS:
        latest = max(incidents, key=lambda i: i.ends_at)
        reasons.append(Reason(f"the conduct has persisted over {span_days} days", _ids((incidents[0], latest))))
    if len(incidents) >= FIXATED_MIN_OCCASIONS:
        reasons.append(Reason(f"the conduct has continued on {len(incidents)} separate occasions", all_ids))
    if reasons:
        return Marker("fixated", True, tuple(reasons))
    text = (
        f"{len(incidents)} occasions over {span_days} days, below {FIXATED_MIN_SPAN_DAYS} days"
        f" or {FIXATED_MIN_OCCASIONS} occasions"
    )
    return Marker("fixated", False, (Reason(text, all_ids),))


def _obsessive(incidents: tuple[IncidentFacts, ...]) -> Marker:
    reasons = []
    by_day: dict[date, list[IncidentFacts]] = defaultdict(list)
    for incident in incidents:  # ranges over several days cannot be placed on one day, so are left out
        if _day(incident.ends_at) == _day(incident.occurred_at):
            by_day[_day(incident.occurred_at)].append(incident)
    for day, group in sorted(by_day.items()):
        acts = sum(i.count for i in group)
        if acts >= OBSESSIVE_MIN_ACTS_IN_A_DAY:
            reasons.append(Reason(f"{acts} acts on {day:%d %b %Y} alone", _ids(group)))
    channels = sorted({i.channel for i in incidents})
    if len(channels) >= OBSESSIVE_MIN_CHANNELS:
        names = ", ".join(_label(Channel, c).lower() for c in channels)
        reasons.append(Reason(f"{len(channels)} different channels: {names}", _ids(incidents)))
    drawn_in = [i for i in incidents if i.channel in OBSESSIVE_CHANNELS]
    if drawn_in:
        reasons.append(Reason("contact through third parties or children", _ids(drawn_in)))
    if reasons:
        return Marker("obsessive", True, tuple(reasons))
    text = (
        f"fewer than {OBSESSIVE_MIN_ACTS_IN_A_DAY} acts in any one day, fewer than {OBSESSIVE_MIN_CHANNELS}"
        " channels and no contact through third parties"
    )
    return Marker("obsessive", False, (Reason(text, _ids(incidents)),))


def _unwanted(incidents: tuple[IncidentFacts, ...], course: bool) -> Marker:
    if not course:
        return Marker(
            "unwanted", False, (Reason("one occasion only: no pattern of unwanted conduct yet", _ids(incidents)),)
        )
    text = (
        f"the conduct was reported to police as unwanted on {len(incidents)} occasions;"
        " record when and how the victim made clear it was unwanted"
    )
    return Marker("unwanted", True, (Reason(text, _ids(incidents)),))


def _repeated(incidents: tuple[IncidentFacts, ...], contacts: int) -> Marker:
    present = len(incidents) >= REPEATED_MIN_OCCASIONS
    return Marker(
        "repeated", present, (Reason(f"{len(incidents)} occasions, {contacts} acts in all", _ids(incidents)),)
    )


def _fear_reasons(incidents: tuple[IncidentFacts, ...]) -> tuple[bool, list[Reason]]:
    feared = [i for i in incidents if i.victim_feared_violence]
    reasons = []
    if feared:
        reasons.append(Reason(f"the victim feared violence on {len(feared)} occasion(s)", _ids(feared)))
    unasked = [i for i in incidents if i.threats & VIOLENT_THREATS and not i.victim_feared_violence]
    if unasked:
        reasons.append(Reason("threats of violence recorded: ask whether the victim feared violence", _ids(unasked)))
    present = len(feared) >= FEAR_MIN_OCCASIONS
    if not present:
        reasons.append(Reason(f"fear of violence is needed on at least {FEAR_MIN_OCCASIONS} occasions", _ids(feared)))
    return present, reasons


def _s4_markers(incidents: tuple[IncidentFacts, ...]) -> tuple[Marker, Marker]:
    """(s4a, s4): fear of violence on 2+ occasions; s.4A also by a substantial adverse effect.

    A present marker gives only the limbs that are met; an absent one explains what is missing.
    """
    fear, fear_reasons = _fear_reasons(incidents)
    s4 = Marker("s4", fear, tuple(fear_reasons))
    impact = _impact_reason(incidents)
    if fear or impact:
        return Marker("s4a", True, (*(fear_reasons if fear else ()), *((impact,) if impact else ()))), s4
    no_effect = Reason("no effect on the victim's day-to-day activities recorded", ())
    return Marker("s4a", False, (*fear_reasons, no_effect)), s4


def _context_reasons(case: CaseFacts, incidents: tuple[IncidentFacts, ...], course: bool) -> list[Reason]:
    """Reasons that go with the main suggestion: domestic abuse, victims, malicious communications, violence."""
    all_ids = _ids(incidents)
    reasons = []
    if case.relationship in DOMESTIC_RELATIONSHIPS:
        text = (
            f"the suspect is the victim's {_label(Relationship, case.relationship).lower()}: flag the record as"
            " domestic abuse (Domestic Abuse Act 2021 s.2) and consider controlling or coercive behaviour"
        )
        reasons.append(Reason(text, all_ids))
    victims = {i.victim_id for i in incidents if i.victim_id is not None}
    if len(victims) > 1:
        text = (
            f"the incidents name {len(victims)} victims: one crime per victim, so check the course of conduct for each"
        )
        reasons.append(Reason(text, all_ids))
    messages = [i for i in incidents if i.channel in COMMUNICATION_CHANNELS]
    if messages and course:
        text = (
            "malicious communications is not suggested: where there is a course of conduct the messages are"
            " recorded as part of it (2017 inspection, recommendation 2)"
        )
        reasons.append(Reason(text, _ids(messages)))
    violent = [i for i in incidents if i.injury or i.weapon or Threat.KILL in i.threats]
    if violent:
        text = (
            "injury, a weapon or threats to kill recorded: log those offences in the record and apply the principal"
            " crime rule (s.4/s.4A outrank assault up to s.20; s.2/s.2A do not outrank assault with injury)"
        )
        reasons.append(Reason(text, _ids(violent)))
    return reasons


def _present(marker: Marker, prefix: str = "") -> list[Reason]:
    return [Reason(f"{prefix}{r.text}", r.incident_ids) for r in marker.reasons] if marker.present else []


def _no_course(
    case: CaseFacts, incidents: tuple[IncidentFacts, ...], behaviours: dict[str, tuple[int, ...]]
) -> Suggestion:
    if not incidents:
        return Suggestion("", "", "No incidents recorded yet", (Reason("no incidents recorded", ()),))
    ids = _ids(incidents)
    text = "only one occasion recorded: harassment and stalking need conduct on at least two (PHA 1997 s.7(3))"
    reasons = [Reason(f"{text}, so no PHA offence is suggested yet", ids)]
    if incidents[0].count > 1:
        text = (
            f"this record holds {incidents[0].count} acts: record any that happened on a separate occasion separately"
        )
        reasons.append(Reason(text, ids))
    stalking = [b for b in behaviours if b != Behaviour.CONTACTING]
    if stalking:
        names = ", ".join(_behaviour_name(b) for b in stalking)
        text = f"stalking behaviour already shown ({names}): a further occasion would make a course of conduct"
        reasons.append(Reason(text, ids))
    if incidents[0].channel in COMMUNICATION_CHANNELS:
        text = "a single message may be malicious communications (MCA 1988 s.1, CA 2003 s.127) if its content meets it"
        reasons.append(Reason(text, ids))
    reasons.extend(_context_reasons(case, incidents, course=False))
    return Suggestion("", "", "No course of conduct yet: one occasion recorded", tuple(reasons))


def _impact_reason(incidents: tuple[IncidentFacts, ...]) -> Reason | None:
    affected = [i for i in incidents if i.impacts]
    if not affected:
        return None
    names = ", ".join(_label(Impact, v).lower() for v in sorted({v for i in affected for v in i.impacts}))
    return Reason(f"substantial adverse effect on the victim's day-to-day activities: {names}", _ids(affected))


def _suggest(offence: str, reasons: tuple[Reason, ...]) -> Suggestion:
    return Suggestion(OFFENCE_CLASSIFICATION[offence], offence, HEADLINES[offence], reasons)


def _suggestions(
    case: CaseFacts,
    incidents: tuple[IncidentFacts, ...],
    behaviours: dict[str, tuple[int, ...]],
    four: tuple[Marker, ...],
    s4a: Marker,
    s4: Marker,
    span_days: int,
) -> tuple[Suggestion, ...]:
    """Suggestions for a course of conduct, most serious first; the first carries the context reasons."""
    ids = _ids(incidents)
    days = "1 day" if span_days == 1 else f"{span_days} days"
    course = Reason(f"a course of conduct: {len(incidents)} occasions over {days} (PHA 1997 s.7(3))", ids)
    stalking_acts = [Reason(_behaviour_name(b), i) for b, i in behaviours.items() if b != Behaviour.CONTACTING]
    contact = [Reason(_behaviour_name(b), i) for b, i in behaviours.items() if b == Behaviour.CONTACTING]
    present = [m for m in four if m.present]
    four_reasons = [r for m in present for r in _present(m, f"FOUR {m.name}: ")]
    context = _context_reasons(case, incidents, course=True)
    if stalking_acts or len(present) >= STALKING_MIN_FOUR_MARKERS:
        s2a_reasons = (*stalking_acts, *contact, *four_reasons, course)
        if not s4a.present:
            return (_suggest(Offence.PHA_S2A, (*s2a_reasons, *context)),)
        s4a_reasons = (*_present(s4a), Reason("the conduct looks like stalking: see s.2A below", ()), course, *context)
        return (_suggest(Offence.PHA_S4A, s4a_reasons), _suggest(Offence.PHA_S2A, s2a_reasons))
    why_not = (
        f"no s.2A(3) behaviour other than contacting, and {len(present)} of 4 FOUR markers where stalking needs"
        f" {STALKING_MIN_FOUR_MARKERS}: reclassify to 8Q if following, watching, loitering, monitoring,"
        " publishing or interference with property appears"
    )
    s2_reasons = (course, *contact, *four_reasons, Reason(why_not, ids))
    impact = _impact_reason(incidents)
    if impact:
        s2_reasons += (
            Reason(f"{impact.text}: if the conduct proves to be stalking, consider s.4A", impact.incident_ids),
        )
    if not s4.present:
        return (_suggest(Offence.PHA_S2, (*s2_reasons, *context)),)
    return (_suggest(Offence.PHA_S4, (*_present(s4), course, *context)), _suggest(Offence.PHA_S2, s2_reasons))


def advise(case: CaseFacts) -> Advice:
    """Score FOUR and the s.2A(3) behaviours over the case's incidents and suggest a classification."""
    incidents = tuple(sorted(case.incidents, key=lambda i: (i.occurred_at, i.id)))
    occasions = len(incidents)
    contacts = sum(i.count for i in incidents)
    course = occasions >= COURSE_OF_CONDUCT_MIN_OCCASIONS
    span_days = (max(i.ends_at for i in incidents) - incidents[0].occurred_at).days if incidents else 0
    behaviours = behaviours_shown(incidents)
    four = (
        _fixated(incidents, span_days, course),
        _obsessive(incidents),
        _unwanted(incidents, course),
        _repeated(incidents, contacts),
    )
    s4a, s4 = _s4_markers(incidents)
    if course:
        suggestions = _suggestions(case, incidents, behaviours, four, s4a, s4, span_days)
    else:
        suggestions = (_no_course(case, incidents, behaviours),)
    return Advice(course, occasions, contacts, span_days, four, behaviours, s4a, s4, suggestions)


def render_text(advice: Advice) -> list[str]:
    """One sentence per suggestion: "Consider 8Q stalking (PHA 1997 s.2A), because: following (incident 1); …"."""
    return [f"{s.headline}, because: {'; '.join(r.cited() for r in s.reasons)}." for s in advice.suggestions]
