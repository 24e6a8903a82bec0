"""Conditions the system can check: the standard library, and the test of an incident against the
conditions in force (pure functions, no database).

A condition is kept in words for the court and as parts the system can test: who it protects, the
channels of contact it forbids, the places inside an exclusion zone, the behaviours it forbids, and
its dates. An incident against a protected person, inside those dates, by a forbidden channel, at a
place in the zone or showing a forbidden behaviour, is proposed as a breach; the officer decides.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from casework.choices import Behaviour, Channel, Place
from orders.choices import CONTACT_CHANNELS, FOLLOWING_BEHAVIOURS, PRESENCE_CHANNELS, ZONE_PLACES, ConditionKind


@dataclass(frozen=True)
class StandardCondition:
    kind: str
    wording: str  # {victim} is the protected people's names; {area} the zone's description
    channels: tuple[str, ...] = ()
    zone_places: tuple[str, ...] = ()
    behaviours: tuple[str, ...] = ()


LIBRARY: dict[str, StandardCondition] = {
    ConditionKind.NO_CONTACT: StandardCondition(
        ConditionKind.NO_CONTACT,
        "Not to contact {victim} directly or indirectly by any means, including by telephone, text message, "
        "e-mail, letter, social media or messaging apps, or through any third party.",
        channels=tuple(CONTACT_CHANNELS),
        behaviours=(Behaviour.CONTACTING,),
    ),
    ConditionKind.EXCLUSION_ZONE: StandardCondition(
        ConditionKind.EXCLUSION_ZONE,
        "Not to enter {area}.",
        zone_places=tuple(ZONE_PLACES),
    ),
    ConditionKind.NO_PUBLISHING: StandardCondition(
        ConditionKind.NO_PUBLISHING,
        "Not to publish any statement or material about {victim}, or purporting to come from {victim}, "
        "on any website, social media or other medium.",
        channels=(Channel.ONLINE_PUBLICATION,),
        behaviours=(Behaviour.PUBLISHING,),
    ),
    ConditionKind.NO_FOLLOWING: StandardCondition(
        ConditionKind.NO_FOLLOWING,
        "Not to follow, watch, loiter near or monitor {victim}, in person or by electronic means.",
        channels=(Channel.LOITERING, Channel.TRACKING),
        behaviours=(*FOLLOWING_BEHAVIOURS, Behaviour.MONITORING),
    ),
    ConditionKind.REQUIREMENT: StandardCondition(
        ConditionKind.REQUIREMENT,
        "To attend and complete a perpetrator or stalking intervention programme as directed.",
    ),
    ConditionKind.FREE: StandardCondition(ConditionKind.FREE, ""),
}


def zone_description(address: str, radius_m: int | None, area: str, places: list[str]) -> str:
    """The zone in words. Never its address: the wording is listed, printed and served on him, and the
    address is a sealed detail (orders/zones.py)."""
    parts = []
    if address:
        parts.append(
            f"within {radius_m} metres of the confidential address" if radius_m else "the confidential address"
        )
    if area:
        parts.append(f"the area of {area}")
    if not parts and places:
        parts.append(", ".join(f"the {_label(Place, p)}" for p in places))
    return " or ".join(parts) or "the exclusion zone"


def standard_wording(kind: str, victim_names: list[str], *, address="", radius_m=None, area="", places=()) -> str:
    victim = " and ".join(victim_names) or "the protected person"
    return LIBRARY[kind].wording.format(victim=victim, area=zone_description(address, radius_m, area, list(places)))


# --- The test --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFacts:
    id: int
    occurred_at: datetime
    victim_id: int | None
    channel: str
    place: str
    behaviours: frozenset[str]


@dataclass(frozen=True)
class ConditionFacts:
    id: int
    protected_ids: frozenset[int]
    channels: frozenset[str]
    zone_places: frozenset[str]
    behaviours: frozenset[str]
    # The period it binds: its own dates within its order's or bail's (None: open-ended).
    binds_from: date | None
    binds_until: date | None


@dataclass(frozen=True)
class Match:
    condition_id: int
    incident_id: int
    reason: str


def _label(choices, value: str) -> str:
    return str(choices(value).label).lower() if value in choices.values else value


def _within(day: date, start: date | None, end: date | None) -> bool:
    return start is not None and start <= day and (end is None or day <= end)


def matches(incident: IncidentFacts, condition: ConditionFacts) -> Match | None:
    """Whether the incident looks like a breach of the condition, and why (None if it does not).

    An incident with no victim named is tested against every protected person: the officer decides."""
    if incident.victim_id is not None and incident.victim_id not in condition.protected_ids:
        return None
    day = timezone.localtime(incident.occurred_at).date()
    if not _within(day, condition.binds_from, condition.binds_until):
        return None
    why = []
    if incident.channel in condition.channels:
        why.append(f"contact by {_label(Channel, incident.channel)}")
    # An exclusion zone is about being there: a text read at home is contact, not entry.
    if incident.place in condition.zone_places and incident.channel in PRESENCE_CHANNELS:
        why.append(f"at the {_label(Place, incident.place)} inside the exclusion zone")
    shown = sorted(incident.behaviours & condition.behaviours)
    if shown:
        why.append("behaviour: " + ", ".join(_label(Behaviour, b).split(") ", 1)[-1] for b in shown))
    if not why:
        return None
    return Match(condition.id, incident.id, f"{'; '.join(why)} on {day:%d %b %Y}"[:300])


def find_matches(incidents: list[IncidentFacts], conditions: list[ConditionFacts]) -> list[Match]:
    return [m for i in incidents for cond in conditions if (m := matches(i, cond)) is not None]
