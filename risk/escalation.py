"""The escalation detector (domain.md §12 item 5, §3.3 stage 5 "escalation", §1.3 red flags).

A pure rule engine over plain data (house style): no ORM and no database inside. The caller turns a
case's incidents, breaches, warnings or arrests and completed risk assessments into `TimelineFacts`
and gets back an `Escalation`: a level, a score, the signals that make up the score and plain-English
reasons, each citing the incidents (or breaches) it rests on so an officer can check it against the log.

It is an aid to professional judgement, never a replacement: like the DASH grade (§1.3), judgement may
raise the level but should not lower it, and the detector cannot read the narrative.

How the level is found. Each signal adds its weight to the score; signals never subtract, so a further
or more severe incident can only raise the score. The level is the highest row of `LEVEL_THRESHOLDS`
the score reaches, raised to any minimum that `LEVEL_FLOORS` sets:

    score    level        minimum levels (LEVEL_FLOORS), whatever the score
    0–2      none         any breach of an order or bail             ⇒ at least high
    3–7      rising       a threat to kill                           ⇒ at least high
    8–14     high         a weapon                                   ⇒ at least high
    15+      critical     a threat to kill and a weapon in the case  ⇒ critical

Signals and their weights (project choices, not law; module constants so a force can change them,
domain.md §12.16). "Contacts" are acts: the sum of the incidents' counts. "Recent" is the last
`RECENT_DAYS` days before `now`; "earlier" is everything before that.

- frequency: contacts per day over the last 14 and the last 30 days against the earlier rate
  (earlier contacts over the earlier span, at least `BASELINE_MIN_DAYS` days). Accelerating when
  either recent rate is at least `ACCELERATION_FACTOR` times the earlier rate and there are at least
  `ACCELERATION_MIN_CONTACTS` recent contacts (+3). Resumed after a gap: the first contact in the last
  14 days came at least `RESUMPTION_GAP_DAYS` days after the one before it (+2). Needs earlier contacts.
- severity: incidents climb the ladder `RUNGS` (remote → phone → physical proximity → at the victim's
  home, work or school → threats → violence). +`SEVERITY_STEP_WEIGHT` for every rung between the
  first incident's rung and the highest reached; the reasons cite the first incident on each new rung.
- channels: new channels in the last 30 days that were never used before (+2, needs earlier
  incidents); third parties or children drawn in (+2); contact from a new identity (+2).
- breaches: the first breach of an order or bail +`BREACH_WEIGHT`, each further one
  +`REPEAT_BREACH_WEIGHT`; contact after a warning or arrest +`CONTACT_AFTER_WARNING_WEIGHT`.
- markers: threats (`THREAT_WEIGHTS`: to kill +5, sexual +3, suicide +3, violence +2, children or
  pets +2), weapon +4, injury +3, monitoring or tracking +3, fixation: contact on at least
  `FIXATION_MIN_DAYS` different days in the last 14 (+3), visits: physical contact on more than 3
  days in one week (`VISITS_MIN_DAYS_IN_A_WEEK`, §12.5) (+3).
- fear: the victim's fear answers or yes-count rose from the previous assessment (+2 each); the
  victim feared violence, or an effect on her day-to-day life was recorded, on a recent incident (+2 each).

"A day" is a calendar day in England and Wales (`REPORTING_TZ`), as in recording/advice.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from casework.choices import Channel, Place, Threat

# --- The level table (the one place the levels are decided) -------------------------------------
LEVELS = ("none", "rising", "high", "critical")
LEVEL_THRESHOLDS: tuple[tuple[str, int], ...] = (("critical", 15), ("high", 8), ("rising", 3), ("none", 0))
FLOOR_BREACH = "high"  # any breach of an order or bail
FLOOR_THREAT_TO_KILL = "high"
FLOOR_WEAPON = "high"
FLOOR_THREAT_TO_KILL_AND_WEAPON = "critical"  # both anywhere in the case, not necessarily together

# --- Frequency -------------------------------------------------------------------------------------
SHORT_WINDOW_DAYS = 14
RECENT_DAYS = 30
ACCELERATION_FACTOR = 2
ACCELERATION_MIN_CONTACTS = 3  # below this a "doubling" is noise (1 text after a quiet month)
BASELINE_MIN_DAYS = 14  # the earlier rate is spread over at least this many days
RESUMPTION_GAP_DAYS = 28
ACCELERATION_WEIGHT = 3
RESUMPTION_WEIGHT = 2

# --- Severity ladder ----------------------------------------------------------------------------
RUNGS = (
    "remote or indirect contact",
    "phone calls",
    "physical proximity",
    "turning up at the victim's home, work or school",
    "threats",
    "violence or a weapon",
)
REMOTE, PHONE, PROXIMITY, AT_HOME, THREATS, VIOLENCE = range(len(RUNGS))
PHYSICAL_CHANNELS = frozenset(
    {Channel.IN_PERSON, Channel.LOITERING, Channel.GIFT, Channel.LETTER, Channel.PROPERTY_DAMAGE}
)
PHYSICAL_BEHAVIOURS = frozenset({"following", "loitering", "watching", "interfering_property"})
VICTIM_PLACES = frozenset({Place.VICTIM_HOME, Place.VICTIM_WORK, Place.SCHOOL})
SEVERITY_STEP_WEIGHT = 2

# --- Channels -------------------------------------------------------------------------------------
NEW_CHANNEL_WEIGHT = 2
THIRD_PARTY_WEIGHT = 2
NEW_IDENTITY_WEIGHT = 2

# --- Breaches and police action -----------------------------------------------------------------
BREACH_WEIGHT = 6
REPEAT_BREACH_WEIGHT = 2
CONTACT_AFTER_WARNING_WEIGHT = 4

# --- High-risk markers ----------------------------------------------------------------------------
THREAT_WEIGHTS: dict[str, int] = {
    Threat.KILL: 5,
    Threat.SEXUAL: 3,
    Threat.SUICIDE: 3,
    Threat.VIOLENCE: 2,
    Threat.CHILDREN_PETS: 2,
}
THREAT_TEXT: dict[str, str] = {
    Threat.KILL: "Threat to kill",
    Threat.SEXUAL: "Sexual threat",
    Threat.SUICIDE: "Suicide threat",
    Threat.VIOLENCE: "Threat of violence",
    Threat.CHILDREN_PETS: "Threat to children or pets",
}
WEAPON_WEIGHT = 4
INJURY_WEIGHT = 3
MONITORING_WEIGHT = 3
FIXATION_MIN_DAYS = 7  # different days with contact in the last 14
FIXATION_WEIGHT = 3
VISITS_MIN_DAYS_IN_A_WEEK = 4  # "loitering or visits more than 3 times a week" (§12.5)
VISITS_WEIGHT = 3

# --- Victim's fear and impact ---------------------------------------------------------------------
FEAR_RISE_WEIGHT = 2
YES_RISE_WEIGHT = 2
RECENT_FEAR_WEIGHT = 2
RECENT_IMPACT_WEIGHT = 2

REPORTING_TZ = ZoneInfo("Europe/London")


# --- Inputs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IncidentFacts:
    id: int
    occurred_at: datetime
    channel: str
    place: str
    behaviours: frozenset[str]
    threats: frozenset[str]
    weapon: bool
    injury: bool
    count: int
    victim_feared_violence: bool
    impacts: frozenset[str]
    via_new_identity: bool = False

    @classmethod
    def from_incident(cls, incident: Any) -> IncidentFacts:
        """Read the facts off an Incident (or anything with the same attributes)."""
        return cls(
            id=incident.id,
            occurred_at=incident.occurred_at,
            channel=incident.channel,
            place=incident.place or "",
            behaviours=frozenset(incident.behaviours or ()),
            threats=frozenset(incident.threats or ()),
            weapon=bool(incident.weapon),
            injury=bool(incident.injury),
            count=incident.count,
            victim_feared_violence=bool(incident.victim_feared_violence),
            impacts=frozenset(incident.impacts or ()),
            via_new_identity=bool(getattr(incident, "via_new_identity", False)),
        )


@dataclass(frozen=True)
class BreachFacts:
    id: int
    occurred_at: datetime
    order_kind: str  # e.g. "restraining_order", "spo", "bail"


@dataclass(frozen=True)
class AssessmentFacts:
    completed_at: datetime
    yes_count: int
    grade: str
    fear_answers: int  # yes answers to the victim-fear and impact questions


@dataclass(frozen=True)
class TimelineFacts:
    incidents: tuple[IncidentFacts, ...]
    breaches: tuple[BreachFacts, ...] = ()
    warnings_or_arrests: tuple[datetime, ...] = ()
    assessments: tuple[AssessmentFacts, ...] = ()
    now: datetime = field(kw_only=True)  # "recent" is measured back from here


# --- Outputs ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    text: str
    incident_ids: tuple[int, ...]
    breach_ids: tuple[int, ...] = ()

    def cited(self) -> str:
        """The reason with what it rests on, e.g. "Threat to kill (incident 12)"."""
        refs = [_refs("incident", self.incident_ids), _refs("breach", self.breach_ids)]
        refs = [r for r in refs if r]
        return f"{self.text} ({'; '.join(refs)})" if refs else self.text


@dataclass(frozen=True)
class Signal:
    name: str
    weight: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Escalation:
    level: str  # one of LEVELS
    score: int
    signals: tuple[Signal, ...]  # heaviest first
    reasons: tuple[str, ...]  # plain-English sentences citing incidents, floors first


def level_rose(old: str, new: str) -> bool:
    """Whether `new` is a higher level than `old`."""
    return LEVELS.index(new) > LEVELS.index(old)


# --- Helpers --------------------------------------------------------------------------------------
def _refs(noun: str, ids: tuple[int, ...]) -> str:
    if not ids:
        return ""
    plural = noun if len(ids) == 1 else ("breaches" if noun == "breach" else f"{noun}s")
    return f"{plural} {', '.join(str(i) for i in ids)}"


def _ids(incidents: Iterable[IncidentFacts]) -> tuple[int, ...]:
    return tuple(sorted({i.id for i in incidents}))


def _day(moment: datetime) -> date:
    return (moment.astimezone(REPORTING_TZ) if moment.tzinfo else moment).date()


def _date(moment: datetime) -> str:
    return f"{_day(moment):%d %b %Y}"


def _physical(incident: IncidentFacts) -> bool:
    return incident.channel in PHYSICAL_CHANNELS or not PHYSICAL_BEHAVIOURS.isdisjoint(incident.behaviours)


def rung(incident: IncidentFacts) -> int:
    """The incident's rung on the severity ladder `RUNGS` (the highest that applies)."""
    if incident.injury or incident.weapon:
        return VIOLENCE
    if incident.threats:
        return THREATS
    if _physical(incident):
        return AT_HOME if incident.place in VICTIM_PLACES else PROXIMITY
    return PHONE if incident.channel == Channel.PHONE_CALL else REMOTE


def _per_day(contacts: int, days: float) -> str:
    return f"{contacts / days:.1f} a day"


# --- Signals --------------------------------------------------------------------------------------
def _frequency(
    incidents: list[IncidentFacts], now: datetime, recent: list[IncidentFacts], earlier: list[IncidentFacts]
) -> Signal | None:
    if not earlier or not recent:
        return None
    short_cut = now - timedelta(days=SHORT_WINDOW_DAYS)
    short = [i for i in recent if i.occurred_at >= short_cut]
    cutoff = now - timedelta(days=RECENT_DAYS)
    earlier_days = max((cutoff - earlier[0].occurred_at).total_seconds() / 86400, BASELINE_MIN_DAYS)
    earlier_contacts = sum(i.count for i in earlier)
    earlier_rate = earlier_contacts / earlier_days
    recent_contacts = sum(i.count for i in recent)
    short_contacts = sum(i.count for i in short)
    weight = 0
    reasons = []
    fast = [
        (days, contacts, group)
        for days, contacts, group in (
            (SHORT_WINDOW_DAYS, short_contacts, short),
            (RECENT_DAYS, recent_contacts, recent),
        )
        if contacts >= ACCELERATION_MIN_CONTACTS and contacts / days >= ACCELERATION_FACTOR * earlier_rate
    ]
    if fast:
        days, contacts, group = fast[0]
        text = (
            f"Contact is accelerating: {contacts} contacts in the last {days} days ({_per_day(contacts, days)})"
            f" against {earlier_rate:.1f} a day before"
        )
        weight += ACCELERATION_WEIGHT
        reasons.append(Reason(text, _ids(group)))
    if short:
        before = [i for i in incidents if i.occurred_at < short[0].occurred_at]
        gap = (short[0].occurred_at - before[-1].occurred_at).days if before else 0
        if gap >= RESUMPTION_GAP_DAYS:
            text = f"Contact resumed after {gap} days without any"
            weight += RESUMPTION_WEIGHT
            reasons.append(Reason(text, (before[-1].id, short[0].id)))
    return Signal("frequency", weight, tuple(reasons)) if weight else None


def _severity(ordered: list[tuple[IncidentFacts, int]]) -> Signal | None:
    if not ordered:
        return None
    first_rung = ordered[0][1]
    top = first_rung
    reasons = []
    for incident, level in ordered:
        if level > top:
            top = level
            reasons.append(Reason(f"First {RUNGS[level]} (after {RUNGS[first_rung]})", (incident.id,)))
    if top == first_rung:
        return None
    return Signal("severity", SEVERITY_STEP_WEIGHT * (top - first_rung), tuple(reasons))


def _channels(
    earlier: list[IncidentFacts], recent: list[IncidentFacts], incidents: list[IncidentFacts]
) -> Signal | None:
    weight = 0
    reasons = []
    if earlier:
        used = {i.channel for i in earlier}
        new: dict[str, list[int]] = defaultdict(list)
        for incident in recent:
            if incident.channel not in used:
                new[incident.channel].append(incident.id)
        if new:
            names = ", ".join(_channel_name(c) for c in sorted(new))
            first_ids = tuple(sorted(ids[0] for ids in new.values()))
            weight += NEW_CHANNEL_WEIGHT
            reasons.append(Reason(f"New ways of making contact in the last {RECENT_DAYS} days: {names}", first_ids))
    drawn_in = [i for i in incidents if i.channel == Channel.THIRD_PARTY]
    if drawn_in:
        weight += THIRD_PARTY_WEIGHT
        reasons.append(Reason("Third parties or children drawn in", _ids(drawn_in)))
    identities = [i for i in incidents if i.via_new_identity]
    if identities:
        weight += NEW_IDENTITY_WEIGHT
        reasons.append(Reason("Contact from a new number, account or identity", _ids(identities)))
    return Signal("channels", weight, tuple(reasons)) if weight else None


def _channel_name(value: str) -> str:
    return str(Channel(value).label).lower() if value in Channel.values else value.replace("_", " ")


def _breaches(breaches: list[BreachFacts], warnings: list[datetime], incidents: list[IncidentFacts]) -> Signal | None:
    weight = 0
    reasons = []
    by_kind: dict[str, list[BreachFacts]] = defaultdict(list)
    for breach in breaches:
        by_kind[breach.order_kind].append(breach)
    for kind, group in sorted(by_kind.items()):
        times = "once" if len(group) == 1 else f"{len(group)} times"
        dates = ", ".join(_date(b.occurred_at) for b in group)
        name = kind.replace("_", " ") or "an order or bail"
        reasons.append(Reason(f"Breach of {name} {times} ({dates})", (), tuple(sorted(b.id for b in group))))
    if breaches:
        weight += BREACH_WEIGHT + REPEAT_BREACH_WEIGHT * (len(breaches) - 1)
    if warnings:
        after = [i for i in incidents if i.occurred_at > warnings[0]]
        if after:
            weight += CONTACT_AFTER_WARNING_WEIGHT
            reasons.append(Reason(f"Contact after a warning or arrest on {_date(warnings[0])}", _ids(after)))
    return Signal("breaches", weight, tuple(reasons)) if weight else None


def _markers(incidents: list[IncidentFacts], short: list[IncidentFacts]) -> Signal | None:
    weight = 0
    reasons = []
    threatened: dict[str, list[IncidentFacts]] = defaultdict(list)
    weapons, injuries, monitoring = [], [], []
    for incident in incidents:
        for threat in incident.threats:
            threatened[threat].append(incident)
        if incident.weapon:
            weapons.append(incident)
        if incident.injury:
            injuries.append(incident)
        if incident.channel == Channel.TRACKING or "monitoring" in incident.behaviours:
            monitoring.append(incident)
    for threat in sorted(threatened, key=lambda t: (-THREAT_WEIGHTS.get(t, 1), t)):
        weight += THREAT_WEIGHTS.get(threat, 1)
        text = THREAT_TEXT.get(threat, f"Threat ({threat.replace('_', ' ')})")
        reasons.append(Reason(text, _ids(threatened[threat])))
    for group, w, text in (
        (weapons, WEAPON_WEIGHT, "Weapon used or shown"),
        (injuries, INJURY_WEIGHT, "Violence causing injury"),
        (monitoring, MONITORING_WEIGHT, "Tracking or monitoring of the victim"),
    ):
        if group:
            weight += w
            reasons.append(Reason(text, _ids(group)))
    days = {_day(i.occurred_at) for i in short}
    if len(days) >= FIXATION_MIN_DAYS:
        weight += FIXATION_WEIGHT
        text = f"Fixation: contact on {len(days)} different days in the last {SHORT_WINDOW_DAYS}"
        reasons.append(Reason(text, _ids(short)))
    visits = _visits(incidents)
    if visits:
        weight += VISITS_WEIGHT
        reasons.append(visits)
    return Signal("markers", weight, tuple(reasons)) if weight else None


def _visits(incidents: list[IncidentFacts]) -> Reason | None:
    """The first week (7 days running) with physical contact on more than 3 days, by two pointers."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for incident in incidents:
        if _physical(incident):
            by_day[_day(incident.occurred_at)].append(incident.id)
    days = sorted(by_day)
    start = 0
    for end, day in enumerate(days):
        while (day - days[start]).days >= 7:
            start += 1
        if end - start + 1 >= VISITS_MIN_DAYS_IN_A_WEEK:
            week = days[start : end + 1]
            ids = tuple(sorted({i for d in week for i in by_day[d]}))
            return Reason(f"Visits or following on {len(week)} days in one week (from {week[0]:%d %b %Y})", ids)
    return None


def _fear(assessments: list[AssessmentFacts], recent: list[IncidentFacts]) -> Signal | None:
    weight = 0
    reasons = []
    if len(assessments) >= 2:
        previous, latest = assessments[-2], assessments[-1]
        when = f"{_date(previous.completed_at)} to {_date(latest.completed_at)}"
        if latest.fear_answers > previous.fear_answers:
            weight += FEAR_RISE_WEIGHT
            text = (
                f"The victim's fear has risen: {previous.fear_answers} to {latest.fear_answers} fear answers ({when})"
            )
            reasons.append(Reason(text, ()))
        if latest.yes_count > previous.yes_count:
            weight += YES_RISE_WEIGHT
            text = f"The risk assessment rose from {previous.yes_count} to {latest.yes_count} yes answers ({when})"
            reasons.append(Reason(text, ()))
    feared = [i for i in recent if i.victim_feared_violence]
    if feared:
        weight += RECENT_FEAR_WEIGHT
        reasons.append(Reason(f"The victim feared violence in the last {RECENT_DAYS} days", _ids(feared)))
    affected = [i for i in recent if i.impacts]
    if affected:
        weight += RECENT_IMPACT_WEIGHT
        text = f"Effects on the victim's day-to-day life recorded in the last {RECENT_DAYS} days"
        reasons.append(Reason(text, _ids(affected)))
    return Signal("fear", weight, tuple(reasons)) if weight else None


def _floors(incidents: list[IncidentFacts], breaches: list[BreachFacts]) -> list[tuple[str, Reason]]:
    kills = [i for i in incidents if Threat.KILL in i.threats]
    weapons = [i for i in incidents if i.weapon]
    floors = []
    if kills and weapons:
        floors.append((FLOOR_THREAT_TO_KILL_AND_WEAPON, Reason("Threat to kill and a weapon", _ids(kills + weapons))))
    if breaches:
        reason = Reason("A breach of an order or bail", (), tuple(sorted(b.id for b in breaches)))
        floors.append((FLOOR_BREACH, reason))
    if kills:
        floors.append((FLOOR_THREAT_TO_KILL, Reason("A threat to kill", _ids(kills))))
    if weapons:
        floors.append((FLOOR_WEAPON, Reason("A weapon", _ids(weapons))))
    return floors


def _level(score: int) -> str:
    return next(level for level, minimum in LEVEL_THRESHOLDS if score >= minimum)


def detect(facts: TimelineFacts) -> Escalation:
    """Find signs of escalation in a case's timeline: level, score, signals and reasons."""
    now = facts.now
    ranked = sorted(((i, rung(i)) for i in facts.incidents), key=lambda p: (p[0].occurred_at, p[1], p[0].id))
    incidents = [i for i, _ in ranked]
    cutoff = now - timedelta(days=RECENT_DAYS)
    short_cut = now - timedelta(days=SHORT_WINDOW_DAYS)
    earlier = [i for i in incidents if i.occurred_at < cutoff]
    recent = incidents[len(earlier) :]
    short = [i for i in recent if i.occurred_at >= short_cut]
    breaches = sorted(facts.breaches, key=lambda b: (b.occurred_at, b.id, b.order_kind))
    warnings = sorted(facts.warnings_or_arrests)
    assessments = sorted(facts.assessments, key=lambda a: (a.completed_at, a.yes_count, a.fear_answers, a.grade))
    found = (
        _frequency(incidents, now, recent, earlier),
        _severity(ranked),
        _channels(earlier, recent, incidents),
        _breaches(breaches, warnings, incidents),
        _markers(incidents, short),
        _fear(assessments, recent),
    )
    signals = tuple(sorted((s for s in found if s), key=lambda s: (-s.weight, s.name)))
    score = sum(s.weight for s in signals)
    level = _level(score)
    floor_reasons = []
    for floor, reason in _floors(incidents, breaches):
        if LEVELS.index(floor) >= LEVELS.index(level):
            floor_reasons.append(f"At least {floor}: {reason.cited()[:1].lower()}{reason.cited()[1:]}")
            level = floor if level_rose(level, floor) else level
    reasons = (*floor_reasons, *(r.cited() for s in signals for r in s.reasons))
    return Escalation(level, score, signals, tuple(reasons))
