"""DASH scoring, grading, MARAC criteria and the hard completion rules. Pure functions; no database.

Sources: domain.md §1.3 (yes-count, SafeLives bands, grade definitions, the four MARAC criteria), §2.3
(an S-DASH alone misses the impact on the victim) and §12 items 2-3 (hard rules, scoring).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from risk.questionnaires import (
    ANSWER_VALUES,
    KIND_DASH,
    KIND_SDASH,
    KIND_STALKING_SUPPLEMENTARY,
    TRIGGER_STALKING_SUPPLEMENTARY,
    YES,
    FormDefinition,
)

STANDARD = "standard"
MEDIUM = "medium"
HIGH = "high"
GRADES: tuple[str, ...] = (STANDARD, MEDIUM, HIGH)  # in rising order of risk
_RANK = {g: i for i, g in enumerate(GRADES)}

ESCALATION_CALLOUTS_DEFAULT = 3

# Criterion names, in SafeLives order.
VISIBLE_HIGH_RISK = "visible_high_risk"
PROFESSIONAL_JUDGEMENT = "professional_judgement"
POTENTIAL_ESCALATION = "potential_escalation"
REPEAT_MARAC = "repeat_marac"

# Keys of the dict returned by completion_errors (besides the form kinds).
ERR_VICTIM_IMPACT = "victim_impact"
ERR_RISK_MANAGEMENT_PLAN = "risk_management_plan"
ERR_GRADE = "grade"


@dataclass(frozen=True)
class Thresholds:
    """Yes-count bands (SafeLives suggestion, configurable): medium from 10, high from 14."""

    medium_from: int = 10
    high_from: int = 14

    def __post_init__(self) -> None:
        if not (1 <= self.medium_from < self.high_from):
            raise ValueError(f"need 1 <= medium_from < high_from, got {self.medium_from} and {self.high_from}")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Criterion:
    name: str
    met: bool
    reason: str


def score(answers: Mapping[str, str], dash: FormDefinition) -> int:
    """The DASH score: how many of the form's questions are answered yes. Other keys are ignored;
    not known and declined are not yes."""
    if dash.kind != KIND_DASH:
        raise ValueError(f"score() needs a DASH form, got kind {dash.kind!r}")
    return sum(1 for q in dash.questions if answers.get(q.key) == YES)


def actuarial_grade(yes_count: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The grade the yes-count alone suggests (default bands 1-9 / 10-13 / 14+).

    - standard (1-9 yes, and also 0 yes): current evidence does not show that serious harm is likely.
      0 yes means no risk factor was identified on the checklist; it is still graded standard, not
      "no risk", and professional judgement may raise it.
    - medium (10-13 yes): identifiable indicators of serious harm; the offender could cause serious harm
      but probably will not unless circumstances change (e.g. separation, stopping medication, drink or
      drugs).
    - high (14+ yes, "visible high risk"): identifiable indicators of serious harm that could happen at any
      time, with serious impact. 14+ is also a MARAC referral criterion.

    The bands are suggestions: other factors may raise the grade (final_grade) but never lower it.
    """
    if yes_count < 0:
        raise ValueError("yes_count cannot be negative")
    if yes_count >= thresholds.high_from:
        return HIGH
    if yes_count >= thresholds.medium_from:
        return MEDIUM
    return STANDARD


def final_grade(actuarial: str, judgement_grade: str | None, judgement_rationale: str) -> tuple[str, list[str]]:
    """Apply professional judgement to the actuarial grade. Returns (grade, errors).

    Judgement may only RAISE the grade, and only with a written rationale. An attempt to lower the grade
    (including below an actuarial high) or to raise it without a rationale is refused: the actuarial grade
    is returned with an error message. No judgement (None or "") or the same grade returns the actuarial one.
    """
    if actuarial not in _RANK:
        return actuarial, [f"Unknown actuarial grade {actuarial!r}."]
    if not judgement_grade:
        return actuarial, []
    if judgement_grade not in _RANK:
        return actuarial, [f"Unknown grade {judgement_grade!r}: choose one of {', '.join(GRADES)}."]
    if _RANK[judgement_grade] < _RANK[actuarial]:
        return actuarial, [
            f"Professional judgement cannot lower the grade from {actuarial} to {judgement_grade}; "
            "it may only raise it."
        ]
    if _RANK[judgement_grade] == _RANK[actuarial]:
        return actuarial, []
    if not (judgement_rationale or "").strip():
        return actuarial, [
            f"Raising the grade from {actuarial} to {judgement_grade} needs a written professional-judgement rationale."
        ]
    return judgement_grade, []


def marac_criteria(
    yes_count: int,
    grade: str,
    judgement_raised: bool,
    police_callouts_12m: int,
    previous_marac_within_12m: bool,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    escalation_callouts: int = ESCALATION_CALLOUTS_DEFAULT,
) -> list[Criterion]:
    """The four SafeLives MARAC referral criteria, each with whether it is met and why.

    - visible high risk: yes_count >= thresholds.high_from (14);
    - professional judgement: the grade was raised to high by judgement (the rationale is already recorded);
    - potential escalation: police_callouts_12m >= escalation_callouts (default 3). Pass the count of
      domestic abuse incidents in the last 12 months across linked cases, not only police call-outs;
    - repeat MARAC: previous_marac_within_12m means a new qualifying incident (violence or threats, a
      pattern of stalking or harassment, rape or sexual abuse) within 12 months of the last referral.
      After 12 months it is a new referral, not a repeat.
    """
    high_from = thresholds.high_from
    visible = yes_count >= high_from
    judged = bool(judgement_raised) and grade == HIGH
    escalating = police_callouts_12m >= escalation_callouts
    return [
        Criterion(
            VISIBLE_HIGH_RISK,
            visible,
            f"{yes_count} yes answers ({'at least' if visible else 'fewer than'} {high_from}).",
        ),
        Criterion(
            PROFESSIONAL_JUDGEMENT,
            judged,
            "Professional judgement raised the grade to high, with a written rationale."
            if judged
            else "Professional judgement did not raise the grade to high.",
        ),
        Criterion(
            POTENTIAL_ESCALATION,
            escalating,
            f"{police_callouts_12m} domestic abuse incidents in the last 12 months "
            f"({'at least' if escalating else 'fewer than'} {escalation_callouts}).",
        ),
        Criterion(
            REPEAT_MARAC,
            bool(previous_marac_within_12m),
            "A further qualifying incident within 12 months of the last MARAC referral."
            if previous_marac_within_12m
            else "No further qualifying incident within 12 months of a previous MARAC referral.",
        ),
    ]


def marac_referral_required(criteria: list[Criterion]) -> bool:
    """A MARAC referral is required when any criterion is met."""
    return any(c.met for c in criteria)


def _form(forms: Mapping[str, FormDefinition], kind: str) -> FormDefinition | None:
    if kind in forms:
        return forms[kind]
    return next((f for f in forms.values() if f.kind == kind), None)


def _numbers(questions) -> str:
    return ", ".join(q.number for q in questions)


def _unanswered(form: FormDefinition, answers: Mapping[str, str], questions=None) -> tuple[list, list[str]]:
    """(questions missing an answer, messages about invalid answer values)."""
    missing, invalid = [], []
    for q in form.questions if questions is None else questions:
        value = answers.get(q.key)
        if value is None or not str(value).strip():
            missing.append(q)
        elif value not in ANSWER_VALUES:
            missing.append(q)
            invalid.append(f"Question {q.number} has an invalid answer {value!r} (use {', '.join(ANSWER_VALUES)}).")
    return missing, invalid


def completion_errors(
    *,
    dash_answers: Mapping[str, str] | None,
    supplementary_answers: Mapping[str, str] | None,
    sdash_answers: Mapping[str, str] | None,
    forms: Mapping[str, FormDefinition],
    grade: str,
    has_plan: bool,
) -> dict[str, list[str]]:
    """The hard rules for completing a victim's risk assessment. Returns {} when it can be completed,
    otherwise messages keyed by "dash", "stalking_supplementary", "sdash", "victim_impact",
    "risk_management_plan" or "grade", each naming what is missing.

    ``forms`` maps the form kinds ("dash", "stalking_supplementary", "sdash") to their definitions (e.g.
    questionnaires.builtin_forms_by_kind()). A form is "included" when its answers are not None.

    (a) Every question of each included form is answered; not known and declined count as answered.
        Exception: in an S-DASH-led assessment (sdash_answers given) the DASH is only required for its
        victim-impact questions.
    (b) DASH trigger question (8) answered yes => all 11 supplementary questions answered.
    (c) An S-DASH (or screening) alone cannot complete a victim's risk assessment: the DASH, or at least
        its victim-impact questions, is required.
    (d) A medium or high grade needs a risk management plan.
    """
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    dash = _form(forms, KIND_DASH)
    supp = _form(forms, KIND_STALKING_SUPPLEMENTARY)
    sdash = _form(forms, KIND_SDASH)
    if dash is None:
        add(KIND_DASH, "No DASH form version is loaded: the DASH is required to complete a victim's risk assessment.")
        return errors

    # (a) and (c): the DASH.
    sdash_led = sdash_answers is not None
    if dash_answers is None:
        if sdash_led:
            add(
                ERR_VICTIM_IMPACT,
                "An S-DASH / screening tool alone cannot complete a victim's risk assessment: answer the DASH, "
                f"or at least its victim-impact questions {_numbers(dash.victim_impact_questions)}.",
            )
        else:
            add(KIND_DASH, "No DASH answers: the DASH is required to complete a victim's risk assessment.")
    elif sdash_led and not dash.victim_impact_questions:
        add(ERR_VICTIM_IMPACT, "The DASH form version has no victim-impact questions to go with the S-DASH.")
    else:
        required = dash.victim_impact_questions if sdash_led else dash.questions
        missing, invalid = _unanswered(dash, dash_answers, required)
        for message in invalid:
            add(KIND_DASH, message)
        if missing:
            if sdash_led:
                add(
                    ERR_VICTIM_IMPACT,
                    f"DASH victim-impact questions not answered: {_numbers(missing)} (required with an S-DASH).",
                )
            else:
                add(KIND_DASH, f"DASH questions not answered: {_numbers(missing)}.")

    # (b) the stalking trigger, and (a) for the supplementary form when included.
    triggered = [
        q for q in dash.questions_triggering(TRIGGER_STALKING_SUPPLEMENTARY) if (dash_answers or {}).get(q.key) == YES
    ]
    if (triggered or supplementary_answers is not None) and supp is None:
        # A refusal, not a crash: the assessment was started without the stalking questions.
        add(
            KIND_STALKING_SUPPLEMENTARY,
            f"DASH question {_numbers(triggered)} is yes, so the stalking and harassment supplementary questions "
            "are required, and they are not part of this assessment: answer them on this assessment.",
        )
    elif triggered or supplementary_answers is not None:
        missing, invalid = _unanswered(supp, supplementary_answers or {})
        for message in invalid:
            add(KIND_STALKING_SUPPLEMENTARY, message)
        if missing:
            why = (
                f"DASH question {_numbers(triggered)} is yes, so all {len(supp.questions)} stalking and "
                "harassment supplementary questions are required"
                if triggered
                else "Stalking and harassment supplementary questions included but incomplete"
            )
            add(KIND_STALKING_SUPPLEMENTARY, f"{why}; not answered: {_numbers(missing)}.")

    # (a) the S-DASH when included.
    if sdash_led and sdash is None:
        add(KIND_SDASH, "S-DASH answers were given but no S-DASH form version is part of this assessment.")
    elif sdash_led:
        missing, invalid = _unanswered(sdash, sdash_answers)
        for message in invalid:
            add(KIND_SDASH, message)
        if missing:
            add(KIND_SDASH, f"S-DASH screening questions not answered: {_numbers(missing)}.")

    # (d) grade and plan.
    if grade not in _RANK:
        add(ERR_GRADE, f"No valid grade ({grade!r}): choose one of {', '.join(GRADES)}.")
    elif grade in (MEDIUM, HIGH) and not has_plan:
        add(ERR_RISK_MANAGEMENT_PLAN, f"A {grade}-risk assessment needs a risk management plan before completion.")
    return errors


def plan_errors(
    *, safety_advice: str, contact_arrangement: str, next_review_due: date | None, today: date, longest_days: int
) -> dict[str, list[str]]:
    """What every completed assessment's plan holds, whatever its grade (the inspection found no plan in
    61% of cases; the plan protects her between reviews): the safety advice given, the contact arrangement
    agreed with her, and the date of the next review, no later than the grade's longest interval.
    Returns messages keyed by field; {} when the plan has them all."""
    errors: dict[str, list[str]] = {}
    if not (safety_advice or "").strip():
        errors["safety_advice"] = ["Record the safety advice given to the victim"]
    if not (contact_arrangement or "").strip():
        errors["contact_arrangement"] = ["Record how and when the victim agreed to be contacted"]
    if next_review_due is None:
        errors["next_review_due"] = ["Enter the date of the next risk review"]
    elif next_review_due < today:
        errors["next_review_due"] = ["The next review must be today or later"]
    elif (next_review_due - today).days > longest_days:
        errors["next_review_due"] = [f"At this grade the next review must be within {longest_days} days"]
    return errors
