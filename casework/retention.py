"""The retention policy table (MoPI review groups, domain.md §11.2): which review group a finalised case
falls in, and when it is first reviewed. Pure functions over plain facts; the groups and periods are
unconfirmed, so the periods are settings (RETENTION_REVIEW_YEARS_*)."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from casework.choices import RetentionGroup

# Offences that put a case in the serious group (values of recording.choices.Offence, kept here as
# plain strings so the table stays free of the apps built on casework).
SERIOUS_OFFENCES: dict[str, str] = {
    "pha_1997_s4a": "stalking involving fear of violence or serious alarm or distress (PHA 1997 s.4A)",
    "cda_1998_s32_s4a": "racially or religiously aggravated stalking with fear (PHA 1997 s.4A)",
    "oapa_1861_s16": "threats to kill (OAPA 1861 s.16)",
}


@dataclass(frozen=True)
class RetentionFacts:
    """What the review group depends on, read from the case's crime records, incidents and risk."""

    public_protection: bool = False  # chosen by the registrar (e.g. MAPPA-managed)
    offences: frozenset[str] = field(default_factory=frozenset)
    threatened_to_kill: bool = False
    weapon: bool = False
    high_risk: bool = False


def retention_group(facts: RetentionFacts) -> tuple[str, str]:
    """The review group and the reason for it, most serious first."""
    if facts.public_protection:
        return RetentionGroup.PUBLIC_PROTECTION, "a public protection matter, as the crime registrar decided"
    serious = sorted(SERIOUS_OFFENCES[o] for o in facts.offences if o in SERIOUS_OFFENCES)
    if serious:
        return RetentionGroup.SERIOUS, "recorded as " + " and ".join(serious)
    if facts.threatened_to_kill:
        return RetentionGroup.SERIOUS, "an incident with a threat to kill"
    if facts.weapon:
        return RetentionGroup.SERIOUS, "an incident with a weapon"
    if facts.high_risk:
        return RetentionGroup.SERIOUS, "a high-risk assessment"
    return RetentionGroup.OTHER, "no public protection matter, serious offence, weapon or high risk"


def review_years(group: str) -> int:
    return {
        RetentionGroup.PUBLIC_PROTECTION: settings.RETENTION_REVIEW_YEARS_PUBLIC_PROTECTION,
        RetentionGroup.SERIOUS: settings.RETENTION_REVIEW_YEARS_SERIOUS,
        RetentionGroup.OTHER: settings.RETENTION_REVIEW_YEARS_OTHER,
    }[RetentionGroup(group)]


def review_date(group: str, finalised_on: date) -> date:
    """The group's period after finalising; a case finalised on 29 February is reviewed on 28 February."""
    year = finalised_on.year + review_years(group)
    try:
        return finalised_on.replace(year=year)
    except ValueError:
        return finalised_on.replace(year=year, day=28)
