"""Counting-rule checks on a proposed crime record (domain.md §4.3, §12.6–8): warnings, never blocks.

Pure functions over plain data (house style). Each rule is a small function in `RULES`, reading the
offence tables in `recording.choices`; `check_record` runs them all and returns their warnings. The
officer may record against a warning, and the caller should keep the rationale.

- principal_crime: a more serious offence in the same report is the principal crime (HOCR section F,
  2023 principal-crime-only recording): seriousness is the maximum sentence in OFFENCE_MAX_MONTHS.
  So s.4A stalking (10 years) is recorded over assault up to OAPA s.20 (5 years); ties give no warning
  because the tie-breaks are unconfirmed.
- stalking_not_principal: s.2A (6 months) does not outrank assault with injury; the stalking is then
  logged inside the assault record, and s.4A (which would be principal) is worth checking.
- malicious_communications_with_course_of_conduct: harassment or stalking, not malicious
  communications, where there is a course of conduct (2017 inspection, recommendation 2).
- ccb_not_personally_connected / ccb_after_separation: SCA 2015 s.76 needs the two to be personally
  connected (Domestic Abuse Act 2021 s.2); after separation it covers only ex-partners and relatives.
- looks_like_stalking: harassment proposed while the advice suggests stalking (reclassify, HOCR
  section B, or record why not).
- s4a_available: s.2A proposed while the advice finds evidence for s.4A.
- no_course_of_conduct: harassment or stalking proposed on one occasion (PHA 1997 s.7(3)).
- classification_mismatch: the offence belongs to another classification in OFFENCE_CLASSIFICATION.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework.choices import DOMESTIC_RELATIONSHIPS, Relationship
from recording.advice import Advice
from recording.choices import (
    LIFE_MONTHS,
    MALICIOUS_COMMUNICATIONS_OFFENCES,
    OFFENCE_CLASSIFICATION,
    OFFENCE_MAX_MONTHS,
    STALKING_OFFENCES,
    STALKING_OR_HARASSMENT_OFFENCES,
    UNCONFIRMED_MAX_MONTHS,
    Classification,
    Offence,
)

PRINCIPAL_CRIME = "principal_crime"
STALKING_NOT_PRINCIPAL = "stalking_not_principal"
MALICIOUS_COMMUNICATIONS_WITH_COURSE = "malicious_communications_with_course_of_conduct"
CCB_NOT_PERSONALLY_CONNECTED = "ccb_not_personally_connected"
CCB_AFTER_SEPARATION = "ccb_after_separation"
LOOKS_LIKE_STALKING = "looks_like_stalking"
S4A_AVAILABLE = "s4a_available"
NO_COURSE_OF_CONDUCT = "no_course_of_conduct"
CLASSIFICATION_MISMATCH = "classification_mismatch"

PHA_CLASSIFICATIONS = frozenset({Classification.HARASSMENT, Classification.RA_HARASSMENT, Classification.STALKING})


@dataclass(frozen=True)
class RecordingWarning:
    code: str
    message: str


Warning = RecordingWarning  # the name the callers use; it shadows the builtin only in this module


@dataclass(frozen=True)
class Proposal:
    """The record as proposed, with what the rules need to know about the case."""

    classification: str
    offence: str
    other_offences: tuple[str, ...]
    course_of_conduct: bool
    relationship: str
    relationship_ended: bool
    advice: Advice | None


def _name(offence: str) -> str:
    return str(Offence(offence).label) if offence in Offence.values else offence


def _sentence(offence: str) -> str:
    months = OFFENCE_MAX_MONTHS[offence]
    text = "life" if months >= LIFE_MONTHS else f"{months // 12} years" if months % 12 == 0 else f"{months} months"
    return f"{text}, unconfirmed" if offence in UNCONFIRMED_MAX_MONTHS else text


def _advised(p: Proposal) -> set[str]:
    return {s.offence for s in p.advice.suggestions if s.offence} if p.advice else set()


def _course(p: Proposal) -> bool:
    return p.course_of_conduct or (p.advice is not None and p.advice.course_of_conduct)


def principal_crime(p: Proposal) -> list[RecordingWarning]:
    if p.offence not in OFFENCE_MAX_MONTHS:
        return []
    proposed = OFFENCE_MAX_MONTHS[p.offence]
    others = set(p.other_offences)
    if p.offence not in STALKING_OR_HARASSMENT_OFFENCES:  # for S&H proposals the advice is looks_like_stalking's
        others |= _advised(p)
    others = {o for o in others if o in OFFENCE_MAX_MONTHS and o != p.offence}
    graver = [o for o in others if OFFENCE_MAX_MONTHS[o] > proposed]
    if graver:
        top = max(graver, key=lambda o: (OFFENCE_MAX_MONTHS[o], o))
        code = OFFENCE_CLASSIFICATION[top]
        kind = f"stalking ({code})" if top in STALKING_OFFENCES else f"{_name(top)} ({code})"
        message = (
            f"Record {kind} as the principal crime: {_name(top)} (maximum {_sentence(top)}) outranks"
            f" {_name(p.offence)} (maximum {_sentence(p.offence)}). Log the {_name(p.offence)} inside that record"
            " and investigate it (HOCR section F, principal crime rule)."
        )
        return [RecordingWarning(PRINCIPAL_CRIME, message)]
    # Messages in a course of conduct are part of it (malicious_communications_with_course), not an offence
    # to weigh; and the hint only helps where s.4A would outrank the proposed offence.
    lesser = sorted(o for o in others if o in STALKING_OFFENCES and OFFENCE_MAX_MONTHS[o] < proposed)
    weighed = p.offence not in STALKING_OR_HARASSMENT_OFFENCES | MALICIOUS_COMMUNICATIONS_OFFENCES
    if lesser and weighed and proposed < OFFENCE_MAX_MONTHS[Offence.PHA_S4A]:
        message = (
            f"{_name(p.offence)} stays the principal crime: {_name(lesser[0])} (maximum {_sentence(lesser[0])}) does"
            " not outrank it. Log the stalking inside the record, and check for fear of violence on two occasions or"
            " a substantial adverse effect on the victim's day-to-day life: s.4A stalking would be the principal crime."
        )
        return [RecordingWarning(STALKING_NOT_PRINCIPAL, message)]
    return []


def malicious_communications_with_course(p: Proposal) -> list[RecordingWarning]:
    proposed = (
        p.classification == Classification.MALICIOUS_COMMUNICATIONS or p.offence in MALICIOUS_COMMUNICATIONS_OFFENCES
    )
    if not (proposed and _course(p)):
        return []
    stalking = p.advice is not None and p.advice.suggests(Classification.STALKING)
    preferred = "stalking (8Q): the advice suggests stalking" if stalking else "harassment (8L) or stalking (8Q)"
    message = (
        f"There is a course of conduct: record {preferred}, not malicious communications. The messages belong in"
        " the course of conduct as incidents (2017 inspection, recommendation 2)."
    )
    return [RecordingWarning(MALICIOUS_COMMUNICATIONS_WITH_COURSE, message)]


def controlling_or_coercive(p: Proposal) -> list[RecordingWarning]:
    if p.classification != Classification.CONTROLLING_COERCIVE and p.offence != Offence.CONTROLLING_COERCIVE:
        return []
    if p.relationship not in DOMESTIC_RELATIONSHIPS:
        known = Relationship(p.relationship).label.lower() if p.relationship in Relationship.values else "not recorded"
        message = (
            f"Controlling or coercive behaviour (SCA 2015 s.76) needs the victim and suspect to be personally"
            f" connected (Domestic Abuse Act 2021 s.2); the relationship is {known}. Consider stalking (8Q) or"
            " harassment (8L) instead."
        )
        return [RecordingWarning(CCB_NOT_PERSONALLY_CONNECTED, message)]
    if not p.relationship_ended:
        return []
    message = (
        "The relationship has ended. Since the Domestic Abuse Act 2021 amendment, s.76 covers behaviour after"
        " separation only where the two remain personally connected (ex-partners, relatives) and the behaviour"
        " falls after that amendment came into force; before it, ex-partners had to live together. Behaviour after"
        " separation is often stalking: consider stalking (8Q, PHA 1997 s.2A/s.4A) or harassment (8L), and choose"
        " with care where stalking, harassment and controlling behaviour overlap (CPS guidance)."
    )
    return [RecordingWarning(CCB_AFTER_SEPARATION, message)]


def looks_like_stalking(p: Proposal) -> list[RecordingWarning]:
    harassment = p.classification in {Classification.HARASSMENT, Classification.RA_HARASSMENT}
    if not (harassment and p.offence not in STALKING_OFFENCES and p.advice):
        return []
    stalking = p.advice.suggestion_for(Classification.STALKING)
    if stalking is None:
        return []
    reasons = "; ".join(r.cited() for r in stalking.reasons if r.incident_ids)
    message = (
        f"The pattern looks like stalking: {reasons}. Consider reclassifying to 8Q (HOCR section B), or record why"
        " it is not stalking."
    )
    return [RecordingWarning(LOOKS_LIKE_STALKING, message)]


def s4a_available(p: Proposal) -> list[RecordingWarning]:
    if p.offence != Offence.PHA_S2A or p.advice is None or not p.advice.s4a.present:
        return []
    reasons = "; ".join(r.cited() for r in p.advice.s4a.reasons if r.incident_ids)
    message = f"Consider stalking under s.4A (maximum {_sentence(Offence.PHA_S4A)}) rather than s.2A: {reasons}."
    return [RecordingWarning(S4A_AVAILABLE, message)]


def no_course_of_conduct(p: Proposal) -> list[RecordingWarning]:
    pha = p.classification in PHA_CLASSIFICATIONS or p.offence in STALKING_OR_HARASSMENT_OFFENCES
    if not pha or _course(p):
        return []
    message = (
        "Harassment and stalking need a course of conduct: conduct on at least two occasions (PHA 1997 s.7(3))."
        " Only one occasion is recorded; record the incident and add later occasions to it."
    )
    return [RecordingWarning(NO_COURSE_OF_CONDUCT, message)]


def classification_mismatch(p: Proposal) -> list[RecordingWarning]:
    expected = OFFENCE_CLASSIFICATION.get(p.offence)
    if expected is None or expected == p.classification:
        return []
    message = f"{_name(p.offence)} is classified {expected}, not {p.classification}."
    return [RecordingWarning(CLASSIFICATION_MISMATCH, message)]


RULES: tuple[Callable[[Proposal], list[RecordingWarning]], ...] = (
    classification_mismatch,
    no_course_of_conduct,
    principal_crime,
    malicious_communications_with_course,
    controlling_or_coercive,
    looks_like_stalking,
    s4a_available,
)


def check_record(
    *,
    proposed_classification: str,
    proposed_offence: str,
    other_offences: list[str],
    course_of_conduct: bool,
    relationship: str,
    relationship_ended: bool,
    advice: Advice | None,
) -> list[RecordingWarning]:
    """Every counting-rule warning for the proposed record, in RULES order; an empty list when none apply.

    `other_offences` are the other offences disclosed in the same report (they stay logged inside the
    record whichever is principal); `course_of_conduct` is the caller's finding, widened by the advice's.
    """
    proposal = Proposal(
        classification=proposed_classification,
        offence=proposed_offence,
        other_offences=tuple(other_offences),
        course_of_conduct=course_of_conduct,
        relationship=relationship,
        relationship_ended=relationship_ended,
        advice=advice,
    )
    return [warning for rule in RULES for warning in rule(proposal)]
