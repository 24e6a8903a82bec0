"""The escalation detector (domain.md §12 item 5, §3.3 stage 5 "escalation", §1.3 red flags).

A pure rule engine over plain data (house style): no ORM and no database inside. The caller gathers
a case's whole history into `TimelineFacts` (risk/selectors.py, through the providers other apps
register) and gets back an `Escalation`: a level, a score, the signals that make up the score, each
with its weight and plain-English reasons citing the incidents by their number in the case (#1, #2 …)
so an officer can check it against the log.

It is an aid to professional judgement, never a replacement: like the DASH grade (§1.3), judgement may
raise the level but should not lower it, and the detector cannot read the narrative.

Two kinds of signal. *State* signals say what the case is, whether or not anything changed lately:
persistence, intrusion, threats and weapons in the last 12 months, fixation, new identities, his
history and hers. *Change* signals say what it is doing: frequency, severity, new channels, breaches
and contact after police action, other markers, her fear. Each signal adds its weight to the score;
signals never subtract. The level is the highest the score reaches in the rules' `levels`, raised to
any floor the facts set (a breach, a threat to kill, a weapon, entry into her home …).

Every number is data: `Rules`, parsed from a versioned table (risk/escalation_rules/*.json, stored in
`risk.EscalationRules`; the research each weight rests on is in risk/escalation_rules/README.md).
"A day" is a calendar day in England and Wales (`REPORTING_TZ`), as in recording/advice.py.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from casework.choices import Channel, Circumstance, EntryKind, EntryPlace, Place, Threat

LEVELS = ("none", "rising", "high", "critical")
REPORTING_TZ = ZoneInfo("Europe/London")
BUILTIN_RULES = Path(__file__).resolve().parent / "escalation_rules" / "escalation-rules-v1.json"

# --- The rules table --------------------------------------------------------------------------
THRESHOLD_KEYS = frozenset(
    {
        "short_days", "recent_days", "state_days", "acceleration_factor", "acceleration_min_contacts",
        "baseline_min_days", "resumption_gap_days", "fixation_min_share", "visits_min_days_in_a_week",
        "persistence_occasions_12m", "persistence_many_occasions_12m", "persistence_duration_days",
        "persistence_long_duration_days", "persistence_reports_12m", "identities_many",
    }
)  # fmt: skip
WEIGHT_KEYS = frozenset(
    {
        "accelerating", "resumed", "severity_step", "new_channel", "breach", "repeat_breach",
        "contact_after_warning", "threat_kill", "threat_sexual", "threat_suicide", "threat_violence",
        "threat_children_pets", "weapon", "injury", "earlier_threats_or_weapons", "monitoring",
        "followed_by_vehicle", "visits", "fixation", "fear_rise", "yes_rise", "recent_fear", "recent_impact",
        "persistence_12m", "persistence_many_12m", "persistence_duration", "persistence_long_duration",
        "persistence_reports", "intrusion_tried", "intrusion_entered", "intrusion_forced", "intrusion_bedroom",
        "intrusion_night", "intrusion_school", "children_present", "damage", "new_identity",
        "many_new_identities", "third_party", "his_same_victim_before", "his_other_victims",
        "his_breaches_elsewhere", "his_convictions", "his_notices", "his_orders_elsewhere", "her_other_cases",
        "her_other_reports",
    }
)  # fmt: skip
FLOOR_KEYS = frozenset(
    {"breach", "threat_to_kill", "weapon", "threat_to_kill_and_weapon", "entry_home", "entry_home_at_night"}
)
SIGNAL_NAMES = (
    "intrusion", "persistence", "threats", "fixation", "identities", "his_history", "her_history",
    "breaches", "frequency", "severity", "channels", "markers", "fear",
)  # fmt: skip


class RulesError(ValueError):
    """The rules table is incomplete or malformed; the message names every fault."""


@dataclass(frozen=True)
class Rules:
    version: str
    title: str
    levels: Mapping[str, int]  # the score from which each level above "none" starts
    thresholds: Mapping[str, float]
    weights: Mapping[str, int]
    floors: Mapping[str, str]
    level_meaning: Mapping[str, str]
    signals: Mapping[str, Mapping[str, str]]  # name → {"title", "meaning"}

    def w(self, key: str) -> int:
        return self.weights[key]

    def t(self, key: str) -> float:
        return self.thresholds[key]

    def level_for(self, score: int) -> str:
        reached = [level for level in LEVELS[1:] if score >= self.levels[level]]
        return reached[-1] if reached else "none"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def parse_rules(raw: Any) -> Rules:
    """Check a rules table (as loaded from JSON) and make `Rules` of it, or RulesError naming every fault."""
    if not isinstance(raw, dict):
        raise RulesError("The rules must be a JSON object")
    faults: list[str] = []
    if not str(raw.get("version", "")).strip():
        faults.append("version: give the table a version")
    sections = {
        "levels": (frozenset(LEVELS[1:]), _number),
        "thresholds": (THRESHOLD_KEYS, _number),
        "weights": (WEIGHT_KEYS, lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0),
        "floors": (FLOOR_KEYS, lambda v: v in LEVELS),
        "level_meaning": (frozenset(LEVELS), lambda v: isinstance(v, str) and v.strip()),
        "signals": (
            frozenset(SIGNAL_NAMES),
            lambda v: isinstance(v, dict) and str(v.get("title", "")).strip() and str(v.get("meaning", "")).strip(),
        ),
    }
    for name, (keys, valid) in sections.items():
        section = raw.get(name)
        if not isinstance(section, dict):
            faults.append(f"{name}: missing")
            continue
        if missing := sorted(keys - section.keys()):
            faults.append(f"{name}: missing {', '.join(missing)}")
        if unknown := sorted(section.keys() - keys):
            faults.append(f"{name}: unknown {', '.join(unknown)}")
        if bad := sorted(k for k in keys & section.keys() if not valid(section[k])):
            faults.append(f"{name}: not valid: {', '.join(bad)}")
    if not faults:
        levels = raw["levels"]
        if not levels["rising"] < levels["high"] < levels["critical"]:
            faults.append("levels: rising < high < critical")
    if faults:
        raise RulesError("; ".join(faults))
    return Rules(
        version=str(raw["version"]).strip(),
        title=str(raw.get("title", "")).strip(),
        levels=dict(raw["levels"]),
        thresholds=dict(raw["thresholds"]),
        weights=dict(raw["weights"]),
        floors=dict(raw["floors"]),
        level_meaning=dict(raw["level_meaning"]),
        signals={k: dict(v) for k, v in raw["signals"].items()},
    )


@cache
def builtin_rules() -> Rules:
    """The project's default table (the first version loaded into the database)."""
    return parse_rules(json.loads(BUILTIN_RULES.read_text()))


# --- Inputs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IncidentFacts:
    number: int  # its number in the case: what the reasons cite
    occurred_at: datetime
    channel: str
    place: str = ""
    behaviours: frozenset[str] = frozenset()
    threats: frozenset[str] = frozenset()
    weapon: bool = False
    injury: bool = False
    count: int = 1
    victim_feared_violence: bool = False
    impacts: frozenset[str] = frozenset()
    reported_at: datetime | None = None
    entry: str = ""
    entry_place: str = ""
    circumstances: frozenset[str] = frozenset()
    identity: str = ""  # a new number, account or name he used, normalised ("phone:+447700900123")


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
class OtherCase:
    """Another case of the same suspect (his) or victim (hers); no reference, so nothing is disclosed."""

    opened_at: datetime
    shared: bool  # his case with her as victim too; her case with him as suspect too
    reports_12m: int = 0  # incidents reported in it in the last 12 months


@dataclass(frozen=True)
class NoticeFacts:
    issued_on: date
    kind: str  # "pin", "harassment_warning", "other"


@dataclass(frozen=True)
class HistoryFacts:
    """What the record holds about him and her beyond this case's incidents."""

    his_cases: tuple[OtherCase, ...] = ()
    her_cases: tuple[OtherCase, ...] = ()
    breaches_elsewhere: tuple[datetime, ...] = ()
    convictions: tuple[date, ...] = ()
    notices: tuple[NoticeFacts, ...] = ()  # legacy warnings given to him, in this case or any other
    orders_elsewhere: tuple[tuple[str, date], ...] = ()  # (order or "bail", from) in his other cases


@dataclass(frozen=True)
class TimelineFacts:
    incidents: tuple[IncidentFacts, ...]
    breaches: tuple[BreachFacts, ...] = ()
    warnings_or_arrests: tuple[datetime, ...] = ()
    assessments: tuple[AssessmentFacts, ...] = ()
    history: HistoryFacts = HistoryFacts()
    now: datetime = field(kw_only=True)  # "recent" and "the last 12 months" are measured back from here


# --- Outputs ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    text: str
    incidents: tuple[int, ...] = ()  # numbers in the case
    breach_ids: tuple[int, ...] = ()

    def cited(self) -> str:
        """The reason with what it rests on, e.g. "Forced entry into her home at night (incident #7)"."""
        refs = [r for r in (_incident_refs(self.incidents), _breach_refs(self.breach_ids)) if r]
        return f"{self.text} ({'; '.join(refs)})" if refs else self.text


@dataclass(frozen=True)
class Signal:
    name: str
    weight: int
    reasons: tuple[Reason, ...]
    title: str = ""
    meaning: str = ""


@dataclass(frozen=True)
class Escalation:
    level: str  # one of LEVELS
    score: int
    signals: tuple[Signal, ...]  # heaviest first
    reasons: tuple[str, ...]  # plain-English sentences citing incidents, floors first
    rules_version: str = ""
    level_meaning: str = ""


def level_rose(old: str, new: str) -> bool:
    """Whether `new` is a higher level than `old`."""
    return LEVELS.index(new) > LEVELS.index(old)


# --- Helpers --------------------------------------------------------------------------------------
MAX_CITED_RUNS = 8  # a reason resting on 300 incidents cites the first runs and the total


def _incident_refs(numbers: tuple[int, ...]) -> str:
    if not numbers:
        return ""
    runs: list[tuple[int, int]] = []
    for n in numbers:  # sorted and unique (`_nums`)
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    text = ", ".join(f"#{a}" if a == b else f"#{a}–#{b}" for a, b in runs[:MAX_CITED_RUNS])
    if len(runs) > MAX_CITED_RUNS:
        text += f" … {len(numbers)} in all"
    return f"{'incident' if len(numbers) == 1 else 'incidents'} {text}"


def _breach_refs(ids: tuple[int, ...]) -> str:
    if not ids:
        return ""
    return f"{'breach' if len(ids) == 1 else 'breaches'} {', '.join(str(i) for i in ids)}"


def _nums(incidents: Iterable[IncidentFacts]) -> tuple[int, ...]:
    return tuple(sorted({i.number for i in incidents}))


def _day(moment: datetime) -> date:
    return (moment.astimezone(REPORTING_TZ) if moment.tzinfo else moment).date()


def _date(moment: datetime | date) -> str:
    return f"{_day(moment) if isinstance(moment, datetime) else moment:%d %b %Y}"


def _span(days: int) -> str:
    years, months = divmod(days * 12 // 365, 12)
    if years:
        return f"{years} year{'s' * (years > 1)}" + (f" {months} month{'s' * (months > 1)}" if months else "")
    if months:
        return f"{months} month{'s' * (months > 1)}"
    return f"{days // 7} weeks"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _physical(incident: IncidentFacts) -> bool:
    return (
        incident.channel in PHYSICAL_CHANNELS
        or not PHYSICAL_BEHAVIOURS.isdisjoint(incident.behaviours)
        or bool(incident.entry)
        or FOLLOWED_BY_VEHICLE in incident.circumstances
    )


# --- Severity ladder ----------------------------------------------------------------------------
RUNGS = (
    "remote or indirect contact",
    "phone calls",
    "physical proximity",
    "turning up at or getting into the victim's home, car, work or school",
    "threats",
    "violence or a weapon",
)
REMOTE, PHONE, PROXIMITY, AT_HOME, THREATS, VIOLENCE = range(len(RUNGS))
# Plain strings, as the facts hold them: sets of str are faster to test than sets of enum members.
PHYSICAL_CHANNELS = frozenset(
    c.value for c in (Channel.IN_PERSON, Channel.LOITERING, Channel.GIFT, Channel.LETTER, Channel.PROPERTY_DAMAGE)
)
PHYSICAL_BEHAVIOURS = frozenset({"following", "loitering", "watching", "interfering_property"})
VICTIM_PLACES = frozenset(p.value for p in (Place.VICTIM_HOME, Place.VICTIM_WORK, Place.SCHOOL))
AT_NIGHT, CHILDREN_PRESENT, DAMAGE = (
    Circumstance.AT_NIGHT.value,
    Circumstance.CHILDREN_PRESENT.value,
    Circumstance.DAMAGE.value,
)
FOLLOWED_BY_VEHICLE, TRACKING_SUSPECTED = Circumstance.FOLLOWED_BY_VEHICLE.value, Circumstance.TRACKING_SUSPECTED.value
VICTIM_HOME, SCHOOL = Place.VICTIM_HOME.value, Place.SCHOOL.value
TRACKING, PROPERTY_DAMAGE = Channel.TRACKING.value, Channel.PROPERTY_DAMAGE.value


def rung(incident: IncidentFacts, physical: bool | None = None) -> int:
    """The incident's rung on the severity ladder `RUNGS` (the highest that applies)."""
    if incident.injury or incident.weapon:
        return VIOLENCE
    if incident.threats:
        return THREATS
    physical = _physical(incident) if physical is None else physical
    if incident.entry or (physical and incident.place in VICTIM_PLACES):
        return AT_HOME
    if physical:
        return PROXIMITY
    return PHONE if incident.channel == PHONE_CALL else REMOTE


PHONE_CALL = Channel.PHONE_CALL.value


# --- Texts ----------------------------------------------------------------------------------------
THREAT_TEXT: dict[str, str] = {
    Threat.KILL: "Threat to kill",
    Threat.SEXUAL: "Sexual threat",
    Threat.SUICIDE: "Suicide threat",
    Threat.VIOLENCE: "Threat of violence",
    Threat.CHILDREN_PETS: "Threat to children or pets",
}
ENTRY_TEXT = {
    EntryKind.TRIED: "Tried to get into",
    EntryKind.ENTERED: "Got into",
    EntryKind.FORCED: "Forced entry into",
}
ENTRY_WEIGHT = {
    EntryKind.TRIED: "intrusion_tried",
    EntryKind.ENTERED: "intrusion_entered",
    EntryKind.FORCED: "intrusion_forced",
}
PLACE_TEXT = {
    EntryPlace.HOME: "her home",
    EntryPlace.BEDROOM: "her bedroom",
    EntryPlace.CAR: "her car",
    EntryPlace.WORKPLACE: "her workplace",
}
HOME_PLACES = frozenset({EntryPlace.HOME.value, EntryPlace.BEDROOM.value})
GOT_IN = frozenset({EntryKind.ENTERED.value, EntryKind.FORCED.value})
BEDROOM = EntryPlace.BEDROOM.value
NOTICE_TEXT = {"pin": "police information notice", "harassment_warning": "harassment warning"}


class _Builder:
    """One signal's weight and reasons as they are found."""

    def __init__(self) -> None:
        self.weight = 0
        self.reasons: list[Reason] = []

    def add(self, weight: int, text: str, incidents: Iterable[IncidentFacts] = (), breach_ids=()) -> None:
        self.weight += weight
        self.reasons.append(Reason(text, _nums(incidents), tuple(breach_ids)))

    def signal(self, name: str, rules: Rules) -> Signal | None:
        if not self.weight:
            return None
        info = rules.signals[name]
        return Signal(name, self.weight, tuple(self.reasons), info["title"], info["meaning"])


@dataclass
class _Case:
    """The facts sorted and cut into windows once."""

    incidents: list[IncidentFacts]
    earlier: list[IncidentFacts]  # before the recent window
    recent: list[IncidentFacts]  # the last `recent_days`
    short: list[IncidentFacts]  # the last `short_days`
    last_year: list[IncidentFacts]  # the last `state_days`
    before_last_year: list[IncidentFacts]
    now: datetime
    day: dict[int, date]  # id(incident) → its calendar day, worked out once
    physical: set[int]  # id(incident) of those in physical proximity


# --- State signals --------------------------------------------------------------------------------
def _persistence(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    if not case.incidents:
        return b
    occasions = {case.day[id(i)] for i in case.last_year}
    if len(occasions) >= r.t("persistence_occasions_12m"):
        many = len(occasions) >= r.t("persistence_many_occasions_12m")
        weight = r.w("persistence_12m") + (r.w("persistence_many_12m") if many else 0)
        b.add(weight, f"Contact on {len(occasions)} different days in the last 12 months", case.last_year)
    first, last = case.incidents[0], case.incidents[-1]
    span = (last.occurred_at - first.occurred_at).days
    all_days = len(set(case.day.values()))
    # Duration is persistence only when it is a campaign: as many occasions as the 12-month count asks.
    if span >= r.t("persistence_duration_days") and all_days >= r.t("persistence_occasions_12m"):
        long = span >= r.t("persistence_long_duration_days")
        text = f"Going on for {_span(span)}, since {_date(first.occurred_at)}: {all_days} different days in all"
        b.add(r.w("persistence_long_duration" if long else "persistence_duration"), text, (first, last))
    cut = case.now - timedelta(days=r.t("state_days"))
    reported = [i for i in case.incidents if i.reported_at is not None and i.reported_at >= cut]
    report_days = {_day(i.reported_at) for i in reported}
    if len(report_days) >= r.t("persistence_reports_12m"):
        b.add(
            r.w("persistence_reports"), f"Reported to police on {len(report_days)} days in the last 12 months", reported
        )
    return b


def _intrusion(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    # One pass over the last 12 months (this runs over every incident of a long campaign).
    by_kind: dict[str, list[IncidentFacts]] = defaultdict(list)
    bedroom, night, school, children, damage = [], [], [], [], []
    physical = case.physical
    for i in case.last_year:
        circumstances = i.circumstances
        if i.entry in ENTRY_WEIGHT and i.entry_place in PLACE_TEXT:
            by_kind[i.entry].append(i)
            if i.entry_place == BEDROOM and i.entry in GOT_IN:
                bedroom.append(i)
        if AT_NIGHT in circumstances and (i.entry or (i.place == VICTIM_HOME and id(i) in physical)):
            night.append(i)
        if i.place == SCHOOL and id(i) in physical:
            school.append(i)
        if CHILDREN_PRESENT in circumstances:
            children.append(i)
        if DAMAGE in circumstances or i.channel == PROPERTY_DAMAGE or "interfering_property" in i.behaviours:
            damage.append(i)
    if by_kind:
        heaviest = max(by_kind, key=lambda k: r.w(ENTRY_WEIGHT[k]))
        for kind in sorted(by_kind, key=lambda k: -r.w(ENTRY_WEIGHT[k])):
            group = by_kind[kind]
            places = ", ".join(
                PLACE_TEXT[p] for p in sorted({i.entry_place for i in group}, key=list(PLACE_TEXT).index)
            )
            b.add(r.w(ENTRY_WEIGHT[kind]) if kind == heaviest else 0, f"{ENTRY_TEXT[kind]} {places}", group)
    for group, key, text in (
        (bedroom, "intrusion_bedroom", "In her bedroom"),
        (night, "intrusion_night", "At her home at night"),
        (school, "intrusion_school", "At her children's school"),
        (children, "children_present", "Children present"),
        (damage, "damage", "Damage to or interference with her property"),
    ):
        if group:
            b.add(r.w(key), text, group)
    return b


def _threats(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    threatened: dict[str, list[IncidentFacts]] = defaultdict(list)
    for incident in case.last_year:
        for threat in incident.threats:
            threatened[threat].append(incident)
    for threat in sorted(threatened, key=lambda t: (-r.weights.get(f"threat_{t}", 1), t)):
        text = THREAT_TEXT.get(threat, f"Threat ({threat.replace('_', ' ')})")
        b.add(r.weights.get(f"threat_{threat}", 1), f"{text} in the last 12 months", threatened[threat])
    weapons = [i for i in case.last_year if i.weapon]
    if weapons:
        b.add(r.w("weapon"), "Weapon used or shown in the last 12 months", weapons)
    older = [i for i in case.before_last_year if i.threats or i.weapon]
    if older:
        b.add(r.w("earlier_threats_or_weapons"), "Threats or a weapon more than 12 months ago", older)
    return b


def _fixation(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    days = {case.day[id(i)] for i in case.short}
    short_days = int(r.t("short_days"))
    if len(days) >= math.ceil(r.t("fixation_min_share") * short_days):
        b.add(r.w("fixation"), f"Contact on {len(days)} of the last {short_days} days", case.short)
    if visits := _visits(case, int(r.t("visits_min_days_in_a_week"))):
        text, group = visits
        b.add(r.w("visits"), text, group)
    return b


def _visits(case: _Case, min_days: int) -> tuple[str, list[IncidentFacts]] | None:
    """The first week (7 days running) with physical contact on `min_days` days, by two pointers."""
    by_day: dict[date, list[IncidentFacts]] = defaultdict(list)
    for incident in case.incidents:
        if id(incident) in case.physical:
            by_day[case.day[id(incident)]].append(incident)
    days = sorted(by_day)
    start = 0
    for end, day in enumerate(days):
        while (day - days[start]).days >= 7:
            start += 1
        if end - start + 1 >= min_days:
            week = days[start : end + 1]
            text = f"Visits or following on {len(week)} days in one week (from {week[0]:%d %b %Y})"
            return text, [i for d in week for i in by_day[d]]
    return None


def _identities(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    first_use: dict[str, IncidentFacts] = {}
    for incident in case.incidents:
        if incident.identity and incident.identity not in first_use:
            first_use[incident.identity] = incident
    if first_use:
        n = len(first_use)
        weight = r.w("new_identity") + (r.w("many_new_identities") if n >= r.t("identities_many") else 0)
        noun = "new number, account or name" if n == 1 else "new numbers, accounts or names"
        b.add(weight, f"Contact from {n} {noun}", first_use.values())
    drawn_in = [i for i in case.incidents if i.channel == Channel.THIRD_PARTY]
    if drawn_in:
        b.add(r.w("third_party"), "Third parties or children used to reach her", drawn_in)
    return b


def _his_history(history: HistoryFacts, r: Rules) -> _Builder:
    b = _Builder()
    same = sorted(c.opened_at for c in history.his_cases if c.shared)
    others = sorted(c.opened_at for c in history.his_cases if not c.shared)
    if same:
        when = ", ".join(_date(d) for d in same)
        b.add(
            r.w("his_same_victim_before"), f"He is the suspect in {len(same)} other case(s) against her (opened {when})"
        )
    if others:
        when = ", ".join(_date(d) for d in others)
        b.add(
            r.w("his_other_victims"), f"He is the suspect in {len(others)} case(s) against someone else (opened {when})"
        )
    if history.breaches_elsewhere:
        last = max(history.breaches_elsewhere)
        times = _times(len(history.breaches_elsewhere))
        text = f"He breached orders or bail in his other cases {times} (last {_date(last)})"
        b.add(r.w("his_breaches_elsewhere"), text)
    if history.convictions:
        when = ", ".join(_date(d) for d in sorted(history.convictions))
        b.add(r.w("his_convictions"), f"Convicted before, with a restraining order ({when})")
    if history.notices:
        names = ", ".join(
            f"{NOTICE_TEXT.get(n.kind, 'warning')} {_date(n.issued_on)}"
            for n in sorted(history.notices, key=lambda n: n.issued_on)
        )
        b.add(r.w("his_notices"), f"Warned by police before: {names}")
    if history.orders_elsewhere:
        names = ", ".join(
            f"{kind.replace('_', ' ')} {_date(on)}" for kind, on in sorted(history.orders_elsewhere, key=lambda o: o[1])
        )
        b.add(r.w("his_orders_elsewhere"), f"Orders or bail in his other cases: {names}")
    return b


def _her_history(history: HistoryFacts, r: Rules) -> _Builder:
    b = _Builder()
    others = sorted(c.opened_at for c in history.her_cases if not c.shared)
    if others:
        when = ", ".join(_date(d) for d in others)
        b.add(
            r.w("her_other_cases"),
            f"She is the victim in {len(others)} other case(s) with another suspect (opened {when})",
        )
    reports = sum(c.reports_12m for c in history.her_cases)
    if reports:
        b.add(r.w("her_other_reports"), f"{reports} report(s) about her in her other cases in the last 12 months")
    return b


# --- Change signals -------------------------------------------------------------------------------
def _frequency(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    earlier, recent, short, now = case.earlier, case.recent, case.short, case.now
    if not earlier or not recent:
        return b
    cutoff = now - timedelta(days=r.t("recent_days"))
    earlier_days = max((cutoff - earlier[0].occurred_at).total_seconds() / 86400, r.t("baseline_min_days"))
    earlier_rate = sum(i.count for i in earlier) / earlier_days
    windows = ((int(r.t("short_days")), short), (int(r.t("recent_days")), recent))
    for days, group in windows:
        contacts = sum(i.count for i in group)
        if (
            contacts >= r.t("acceleration_min_contacts")
            and contacts / days >= r.t("acceleration_factor") * earlier_rate
        ):
            text = (
                f"Contact is accelerating: {contacts} contacts in the last {days} days ({contacts / days:.1f} a day)"
                f" against {earlier_rate:.1f} a day before"
            )
            b.add(r.w("accelerating"), text, group)
            break
    if short:
        before = [i for i in case.incidents if i.occurred_at < short[0].occurred_at]
        gap = (short[0].occurred_at - before[-1].occurred_at).days if before else 0
        if gap >= r.t("resumption_gap_days"):
            b.add(r.w("resumed"), f"Contact resumed after {gap} days without any", (before[-1], short[0]))
    return b


def _severity(ranked: list[tuple[IncidentFacts, int]], r: Rules) -> _Builder:
    b = _Builder()
    if not ranked:
        return b
    first_rung = top = ranked[0][1]
    for incident, level in ranked:
        if level > top:
            b.add(
                r.w("severity_step") * (level - top), f"First {RUNGS[level]} (after {RUNGS[first_rung]})", (incident,)
            )
            top = level
    return b


def _channels(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    if case.earlier:
        used = {i.channel for i in case.earlier}
        new: dict[str, IncidentFacts] = {}
        for incident in case.recent:
            if incident.channel not in used:
                new.setdefault(incident.channel, incident)
        if new:
            names = ", ".join(_channel_name(c) for c in sorted(new))
            b.add(
                r.w("new_channel"),
                f"New ways of making contact in the last {int(r.t('recent_days'))} days: {names}",
                new.values(),
            )
    return b


def _channel_name(value: str) -> str:
    return str(Channel(value).label).lower() if value in Channel.values else value.replace("_", " ")


def _breaches(
    breaches: list[BreachFacts], warnings: list[datetime], incidents: list[IncidentFacts], r: Rules
) -> _Builder:
    b = _Builder()
    by_kind: dict[str, list[BreachFacts]] = defaultdict(list)
    for breach in breaches:
        by_kind[breach.order_kind].append(breach)
    for n, (kind, group) in enumerate(sorted(by_kind.items())):
        dates = ", ".join(_date(x.occurred_at) for x in group)
        name = kind.replace("_", " ") or "an order or bail"
        weight = (r.w("breach") + r.w("repeat_breach") * (len(breaches) - 1)) if n == 0 else 0
        b.add(weight, f"Breach of {name} {_times(len(group))} ({dates})", breach_ids=sorted(x.id for x in group))
    if warnings:
        after = [i for i in incidents if i.occurred_at > warnings[0]]
        if after:
            b.add(r.w("contact_after_warning"), f"Contact after a warning or arrest on {_date(warnings[0])}", after)
    return b


def _markers(case: _Case, r: Rules) -> _Builder:
    b = _Builder()
    injuries, monitoring, vehicle = [], [], []
    for i in case.incidents:
        if i.injury:
            injuries.append(i)
        if i.channel == TRACKING or "monitoring" in i.behaviours or TRACKING_SUSPECTED in i.circumstances:
            monitoring.append(i)
        if FOLLOWED_BY_VEHICLE in i.circumstances:
            vehicle.append(i)
    for group, key, text in (
        (injuries, "injury", "Violence causing injury"),
        (monitoring, "monitoring", "Tracking or monitoring of the victim (a device or spyware suspected)"),
        (vehicle, "followed_by_vehicle", "Followed by vehicle"),
    ):
        if group:
            b.add(r.w(key), text, group)
    return b


def _fear(assessments: list[AssessmentFacts], recent: list[IncidentFacts], r: Rules) -> _Builder:
    b = _Builder()
    if len(assessments) >= 2:
        previous, latest = assessments[-2], assessments[-1]
        when = f"{_date(previous.completed_at)} to {_date(latest.completed_at)}"
        if latest.fear_answers > previous.fear_answers:
            text = (
                f"The victim's fear has risen: {previous.fear_answers} to {latest.fear_answers} fear answers ({when})"
            )
            b.add(r.w("fear_rise"), text)
        if latest.yes_count > previous.yes_count:
            b.add(
                r.w("yes_rise"),
                f"The risk assessment rose from {previous.yes_count} to {latest.yes_count} yes answers ({when})",
            )
    days = int(r.t("recent_days"))
    feared = [i for i in recent if i.victim_feared_violence]
    if feared:
        b.add(r.w("recent_fear"), f"The victim feared violence in the last {days} days", feared)
    affected = [i for i in recent if i.impacts]
    if affected:
        b.add(
            r.w("recent_impact"), f"Effects on the victim's day-to-day life recorded in the last {days} days", affected
        )
    return b


# --- Floors and the level ---------------------------------------------------------------------------
def _floors(case: _Case, breaches: list[BreachFacts], r: Rules) -> list[tuple[str, Reason]]:
    kills = [i for i in case.last_year if Threat.KILL in i.threats]
    weapons = [i for i in case.last_year if i.weapon]
    home = [i for i in case.last_year if i.entry in GOT_IN and i.entry_place in HOME_PLACES]
    home_night = [i for i in home if AT_NIGHT in i.circumstances]
    found = [
        ("entry_home_at_night", home_night, "He got into her home at night"),
        ("threat_to_kill_and_weapon", kills + weapons if kills and weapons else [], "A threat to kill and a weapon"),
        ("entry_home", home, "He got into her home"),
        ("threat_to_kill", kills, "A threat to kill"),
        ("weapon", weapons, "A weapon"),
    ]
    floors = [(r.floors[key], Reason(text, _nums(group))) for key, group, text in found if group]
    if breaches:
        floors.append(
            (r.floors["breach"], Reason("A breach of an order or bail", (), tuple(sorted(b.id for b in breaches))))
        )
    return sorted(floors, key=lambda f: -LEVELS.index(f[0]))


def detect(facts: TimelineFacts, rules: Rules) -> Escalation:
    """Find signs of escalation in a case's whole history: level, score, signals and reasons."""
    r, now = rules, facts.now
    physical = {id(i) for i in facts.incidents if _physical(i)}
    # Oldest first; incidents at the same moment in their order in the case.
    incidents = sorted(facts.incidents, key=attrgetter("occurred_at", "number"))
    ranked = [(i, rung(i, id(i) in physical)) for i in incidents]
    at = attrgetter("occurred_at")
    recent_from = bisect_left(incidents, now - timedelta(days=r.t("recent_days")), key=at)
    short_from = bisect_left(incidents, now - timedelta(days=r.t("short_days")), key=at)
    year_from = bisect_left(incidents, now - timedelta(days=r.t("state_days")), key=at)
    case = _Case(
        incidents=incidents,
        earlier=incidents[:recent_from],
        recent=incidents[recent_from:],
        short=incidents[max(short_from, recent_from) :],
        last_year=incidents[year_from:],
        before_last_year=incidents[:year_from],
        now=now,
        day={id(i): _day(i.occurred_at) for i in incidents},
        physical=physical,
    )
    breaches = sorted(facts.breaches, key=lambda b: (b.occurred_at, b.id, b.order_kind))
    warnings = sorted(facts.warnings_or_arrests)
    assessments = sorted(facts.assessments, key=lambda a: (a.completed_at, a.yes_count, a.fear_answers, a.grade))
    built = {
        "intrusion": _intrusion(case, r),
        "persistence": _persistence(case, r),
        "threats": _threats(case, r),
        "fixation": _fixation(case, r),
        "identities": _identities(case, r),
        "his_history": _his_history(facts.history, r),
        "her_history": _her_history(facts.history, r),
        "breaches": _breaches(breaches, warnings, incidents, r),
        "frequency": _frequency(case, r),
        "severity": _severity(ranked, r),
        "channels": _channels(case, r),
        "markers": _markers(case, r),
        "fear": _fear(assessments, case.recent, r),
    }
    found = (builder.signal(name, r) for name, builder in built.items())
    signals = tuple(sorted((s for s in found if s), key=lambda s: (-s.weight, SIGNAL_NAMES.index(s.name))))
    score = sum(s.weight for s in signals)
    level = r.level_for(score)
    floor_reasons = []
    for floor, reason in _floors(case, breaches, r):
        if LEVELS.index(floor) >= LEVELS.index(level):
            cited = reason.cited()
            floor_reasons.append(f"At least {floor}: {cited[:1].lower()}{cited[1:]}")
            level = floor
    reasons = (*floor_reasons, *(reason.cited() for s in signals for reason in s.reasons))
    return Escalation(level, score, signals, tuple(reasons), r.version, r.level_meaning[level])
