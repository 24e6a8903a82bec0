"""Risk assessments: start, answer as you go, plan, complete under the hard rules, sign off; and the
escalation level, recomputed after every change to the timeline."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import PartyRole, TimelineKind
from casework.models import Case, CaseParty, Incident, Person
from casework.redaction import sealed_text_errors
from casework.timeline import timeline_record
from casework.working_days import add_working_hours
from config.errors import EditConflict, InvalidInput, TransitionNotAllowed
from risk import escalation, questionnaires, scoring
from risk.choices import AssessmentStatus, Grade, PlanActionStatus
from risk.models import EscalationRules, EscalationSnapshot, RiskAssessment, RiskForm, RiskPlanAction

NOT_A_VICTIM = "Choose a victim in this case"
ANSWERS = frozenset({questionnaires.YES, questionnaires.NO, questionnaires.NOT_KNOWN, questionnaires.DECLINED})


def thresholds() -> scoring.Thresholds:
    return scoring.Thresholds(medium_from=settings.RISK_GRADE_MEDIUM_FROM, high_from=settings.RISK_GRADE_HIGH_FROM)


@transaction.atomic
def risk_form_load(*, actor: User | None, definition: questionnaires.FormDefinition, raw: dict) -> RiskForm:
    """Store a form version (our paraphrase, or a force's licensed wording). Versions never change."""
    if RiskForm.objects.filter(key=definition.key, version=definition.version).exists():
        raise InvalidInput(
            {"version": f"{definition.key} {definition.version} is already loaded; give it a new version"}
        )
    return RiskForm.objects.create(
        key=definition.key, version=definition.version, kind=definition.kind, title=definition.title, definition=raw
    )


@transaction.atomic
def escalation_rules_load(raw: dict) -> EscalationRules:
    """Store a version of the escalation table; the newest is used from now on. Versions never change."""
    try:
        rules = escalation.parse_rules(raw)
    except escalation.RulesError as exc:
        raise InvalidInput({"rules": str(exc)}) from exc
    if EscalationRules.objects.filter(version=rules.version).exists():
        raise InvalidInput({"version": f"Escalation rules {rules.version} are already loaded; give them a new version"})
    return EscalationRules.objects.create(version=rules.version, title=rules.title[:200], rules=raw)


def current_forms() -> dict[str, RiskForm]:
    """The newest loaded version of each form kind."""
    newest: dict[str, RiskForm] = {}
    for form in RiskForm.objects.order_by("loaded_at", "id"):
        newest[form.kind] = form
    return newest


def _definition(form: RiskForm) -> questionnaires.FormDefinition:
    return questionnaires.parse_form(form.definition)


def _check_may_edit(actor: User, case: Case) -> None:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")


@transaction.atomic
def risk_assessment_start(*, actor: User, case: Case, victim: Person, kinds: list[str]) -> RiskAssessment:
    """A draft assessment of one victim with the chosen forms (e.g. DASH + stalking questions)."""
    _check_may_edit(actor, case)
    if not CaseParty.objects.filter(case=case, person=victim, role=PartyRole.VICTIM).exists():
        raise InvalidInput({"victim": NOT_A_VICTIM})
    forms = current_forms()
    unknown = [k for k in kinds if k not in forms]
    if not kinds or unknown:
        raise InvalidInput({"kinds": f"Choose from the loaded forms: {', '.join(sorted(forms))}"})
    assessment = RiskAssessment.objects.create(case=case, victim=victim, assessor=actor)
    assessment.forms.set([forms[k] for k in kinds])
    return assessment


def _locked_draft(assessment: RiskAssessment, expected_version: int) -> RiskAssessment:
    current = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    if current.version != expected_version:
        raise EditConflict(
            "Someone else changed this assessment since you opened it. Check the answers and try again.",
            current={"version": current.version, "status": current.status},
        )
    if current.status != AssessmentStatus.DRAFT:
        raise TransitionNotAllowed("This assessment is already completed")
    return current


@transaction.atomic
def risk_assessment_answer(
    *, actor: User, assessment: RiskAssessment, expected_version: int, answers: dict[str, dict], children_at_risk=None
) -> RiskAssessment:
    """Save answers as they are given (a draft survives a closed browser)."""
    _check_may_edit(actor, assessment.case)
    assessment = _locked_draft(assessment, expected_version)
    _attach_triggered_forms(assessment, answers)
    known = {q.key for form in assessment.forms.all() for q in _definition(form).questions}
    errors = []
    for key, value in answers.items():
        if key not in known:
            errors.append(f"Unknown question {key!r}")
        elif value.get("answer", "") not in ANSWERS | {""}:
            errors.append(f"{key}: answer yes, no, not known or declined")
    if errors:
        raise InvalidInput({"answers": errors})
    merged = dict(assessment.answers)
    for key, value in answers.items():
        merged[key] = {"answer": value.get("answer", ""), "details": value.get("details", "").strip()}
    assessment.answers = merged
    if children_at_risk is not None:
        assessment.children_at_risk = children_at_risk.strip()
    assessment.version = F("version") + 1
    assessment.save(update_fields=["answers", "children_at_risk", "version"])
    assessment.refresh_from_db()
    return assessment


def _attach_triggered_forms(assessment: RiskAssessment, answers: dict[str, dict]) -> None:
    """A yes to the DASH stalking question makes the stalking questions part of the assessment (domain.md
    §12 item 2), so they can be answered even when the assessment was started without them."""
    forms = {form.kind: form for form in assessment.forms.all()}
    if "dash" not in forms or "stalking_supplementary" in forms:
        return
    given = {key: value.get("answer", "") for key, value in answers.items()}
    merged = {key: value.get("answer", "") for key, value in assessment.answers.items()} | given
    triggers = _definition(forms["dash"]).questions_triggering(questionnaires.TRIGGER_STALKING_SUPPLEMENTARY)
    supplementary = current_forms().get("stalking_supplementary")
    if supplementary is not None and any(merged.get(q.key) == questionnaires.YES for q in triggers):
        assessment.forms.add(supplementary)


@transaction.atomic
def risk_plan_action_add(
    *, actor: User, assessment: RiskAssessment, risk: str, action: str, owner: str, due_on: date
) -> RiskPlanAction:
    _check_may_edit(actor, assessment.case)
    errors = {}
    if not risk.strip():
        errors["risk"] = "Name the risk this action answers"
    if not action.strip():
        errors["action"] = "Describe the action"
    if not owner.strip():
        errors["owner"] = "Say who will do it"
    if due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or later"
    errors = sealed_text_errors(assessment.case, {"risk": risk, "action": action, "owner": owner}) | errors
    if errors:
        raise InvalidInput(errors)
    return RiskPlanAction.objects.create(
        assessment=assessment, risk=risk.strip(), action=action.strip(), owner=owner.strip(), due_on=due_on
    )


@transaction.atomic
def risk_plan_action_done(*, actor: User, action: RiskPlanAction) -> RiskPlanAction:
    _check_may_edit(actor, action.assessment.case)
    if action.status == PlanActionStatus.DONE:
        raise TransitionNotAllowed("This action is already done")
    action.status = PlanActionStatus.DONE
    action.save(update_fields=["status"])
    timeline_record(
        case=action.assessment.case,
        kind=TimelineKind.RISK,
        occurred_at=timezone.now(),
        summary=f"Risk plan action done: {action.action[:200]}",
        source=action,
        actor=actor,
    )
    return action


def _answers_by_kind(assessment: RiskAssessment) -> tuple[dict[str, questionnaires.FormDefinition], dict]:
    forms = {form.kind: _definition(form) for form in assessment.forms.all()}
    by_kind: dict[str, dict[str, str] | None] = {}
    for kind, definition in forms.items():
        keys = {q.key for q in definition.questions}
        by_kind[kind] = {k: v["answer"] for k, v in assessment.answers.items() if k in keys and v.get("answer")}
    return forms, by_kind


def police_callouts_in_last_year(victim: Person) -> int:
    """Occasions reported to police about the victim in the last 12 months, across all her cases."""
    since = timezone.now() - timedelta(days=365)
    return (
        Incident.objects.filter(
            case__parties__person=victim, case__parties__role=PartyRole.VICTIM, reported_at__gte=since
        )
        .filter(Q(victim=victim) | Q(victim__isnull=True))
        .distinct()
        .count()
    )


@transaction.atomic
def risk_assessment_complete(
    *,
    actor: User,
    assessment: RiskAssessment,
    expected_version: int,
    judgement_grade: str = "",
    judgement_rationale: str = "",
    police_callouts_12m: int = 0,
    previous_marac_within_12m: bool = False,
    safety_advice: str = "",
    contact_arrangement: str = "",
    next_review_due: date | None = None,
) -> RiskAssessment:
    """Complete the assessment under the hard rules, grade it and record its plan: the safety advice, the
    contact arrangement and the next review (every grade), and plan actions (medium and high)."""
    case = assessment.case
    _check_may_edit(actor, case)
    assessment = _locked_draft(assessment, expected_version)
    forms, answers = _answers_by_kind(assessment)
    if "dash" not in forms and "dash" in current_forms():
        # The rules name the DASH victim-impact questions an S-DASH-only assessment still needs.
        forms["dash"] = _definition(current_forms()["dash"])
    dash = forms.get("dash")
    yes_count = scoring.score(answers.get("dash") or {}, dash) if dash else 0
    actuarial = scoring.actuarial_grade(yes_count, thresholds())
    grade, grade_errors = scoring.final_grade(actuarial, judgement_grade or None, judgement_rationale)
    errors = scoring.completion_errors(
        dash_answers=answers.get("dash"),
        supplementary_answers=answers.get("stalking_supplementary"),
        sdash_answers=answers.get("sdash"),
        forms=forms,
        grade=grade,
        has_plan=assessment.plan_actions.exists(),
    )
    if grade_errors:
        errors.setdefault("judgement_grade", []).extend(grade_errors)
    now = timezone.now()
    errors |= scoring.plan_errors(
        safety_advice=safety_advice,
        contact_arrangement=contact_arrangement,
        next_review_due=next_review_due,
        today=timezone.localdate(now),
        longest_days=settings.RISK_REVIEW_DAYS.get(grade, settings.RISK_REVIEW_DAYS["high"]),
    )
    if errors:
        raise InvalidInput(errors)
    # Potential escalation counts the incidents reported about this victim in the last 12 months in
    # this and linked cases; an officer who knows of more (other systems) may give the higher number.
    police_callouts_12m = max(police_callouts_12m, police_callouts_in_last_year(assessment.victim))
    criteria = scoring.marac_criteria(
        yes_count,
        grade,
        judgement_raised=grade != actuarial,
        police_callouts_12m=police_callouts_12m,
        previous_marac_within_12m=previous_marac_within_12m,
        thresholds=thresholds(),
        escalation_callouts=settings.MARAC_ESCALATION_CALLOUTS,
    )
    latest = case.escalation_snapshots.order_by("-computed_at", "-id").first()
    assessment.yes_count = yes_count
    assessment.actuarial_grade = actuarial
    assessment.judgement_grade = judgement_grade
    assessment.judgement_rationale = judgement_rationale.strip()
    assessment.grade = grade
    assessment.police_callouts_12m = police_callouts_12m
    assessment.marac_criteria = [{"name": c.name, "met": c.met, "reason": c.reason} for c in criteria]
    assessment.marac_referral_required = scoring.marac_referral_required(criteria)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = now
    assessment.next_review_due = next_review_due
    assessment.safety_advice = safety_advice.strip()
    assessment.contact_arrangement = contact_arrangement.strip()
    assessment.escalation_level = latest.level if latest else "none"
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    marac = "; MARAC referral required" if assessment.marac_referral_required else ""
    timeline_record(
        case=case,
        kind=TimelineKind.RISK,
        occurred_at=now,
        summary=f"Risk assessment completed: {Grade(grade).label.lower()} risk ({yes_count} yes){marac}",
        source=assessment,
        person=assessment.victim,
        actor=actor,
    )
    _refresh_alerts(case)
    return assessment


@transaction.atomic
def risk_assessment_sign_off(*, actor: User, assessment: RiskAssessment) -> RiskAssessment:
    if not policy.may(actor, policy.Action.SUPERVISE_CASE, assessment.case):
        raise InvalidInput("Only a supervisor of the case's unit can sign off a risk assessment")
    if assessment.status != AssessmentStatus.COMPLETED:
        raise TransitionNotAllowed("Only a completed assessment can be signed off")
    if assessment.assessor_id == actor.pk:
        raise TransitionNotAllowed("Someone other than the assessor must sign off the assessment")
    assessment.status = AssessmentStatus.SIGNED_OFF
    assessment.signed_off_by = actor
    assessment.signed_off_at = timezone.now()
    assessment.save(update_fields=["status", "signed_off_by", "signed_off_at"])
    timeline_record(
        case=assessment.case,
        kind=TimelineKind.RISK,
        occurred_at=assessment.signed_off_at,
        summary=f"Risk assessment signed off by {actor} ({assessment.get_grade_display().lower()} risk)",
        source=assessment,
        actor=actor,
    )
    _refresh_alerts(assessment.case)
    return assessment


def _refresh_alerts(case: Case) -> None:
    from casework.tasks import alerts_refresh_case, enqueue_after_commit

    enqueue_after_commit(alerts_refresh_case, case.pk)


def _signals_data(result: escalation.Escalation) -> list[dict]:
    return [
        {"name": s.name, "title": s.title, "weight": s.weight, "meaning": s.meaning,
         "reasons": [r.cited() for r in s.reasons]}
        for s in result.signals
    ]  # fmt: skip


def escalation_refresh(case: Case, rules: escalation.Rules | None = None) -> EscalationSnapshot | None:
    """Run the detector over the case's whole history; keep a snapshot when the result changed. A rise
    or a drop of level goes on the timeline; a drop also asks for a review (risk/alert_checks.py)."""
    from risk import selectors

    rules = rules or selectors.current_rules()
    result = escalation.detect(selectors.escalation_facts(case, rules), rules)
    latest = case.escalation_snapshots.order_by("-computed_at", "-id").first()
    kept = (result.level, result.score, list(result.reasons), result.rules_version)
    if latest is not None and (latest.level, latest.score, latest.reasons, latest.rules_version) == kept:
        return None
    now = timezone.now()
    fell_from, fell_at = "", None
    if latest is not None and escalation.level_rose(result.level, latest.level):
        fell_from, fell_at = latest.level, now
    elif latest is not None and latest.level == result.level:
        fell_from, fell_at = latest.fell_from, latest.fell_at
    snapshot = EscalationSnapshot.objects.create(
        case=case,
        level=result.level,
        score=result.score,
        reasons=list(result.reasons),
        signals=_signals_data(result),
        rules_version=result.rules_version,
        computed_at=now,
        fell_from=fell_from,
        fell_at=fell_at,
    )
    if latest is not None and latest.level != result.level:
        rose = escalation.level_rose(latest.level, result.level)
        why = "; ".join(result.reasons[:2]) if rose else "review the risk; the level is worked out again each night"
        timeline_record(
            case=case,
            kind=TimelineKind.RISK,
            occurred_at=snapshot.computed_at,
            summary=f"Escalation {'rose' if rose else 'fell'} from {latest.level} to {result.level}: {why}"[:300],
            source=snapshot,
        )
    return snapshot


def review_bring_forward(case: Case, *, escalation_rose: bool) -> None:
    """A new incident since the latest assessment, or a rise in escalation, brings its review forward: due
    RISK_REVIEW_BROUGHT_FORWARD_WORKING_HOURS working hours from now (time to contact her and reassess),
    not at once, so that logging an incident just after an assessment raises no "overdue" alert."""
    latest = (
        case.risk_assessments.filter(status__in=[AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF])
        .order_by("-completed_at", "-id")
        .first()
    )
    if latest is None or latest.next_review_due is None:
        return
    now = timezone.now()
    due_at = add_working_hours(now, settings.RISK_REVIEW_BROUGHT_FORWARD_WORKING_HOURS)
    tz = timezone.get_current_timezone()
    due_now = latest.review_due_at or datetime.combine(latest.next_review_due, time(), tz)
    if due_now <= due_at:
        return
    if escalation_rose or case.incidents.filter(created_at__gt=latest.completed_at).exists():
        latest.review_due_at = due_at
        latest.next_review_due = timezone.localdate(due_at)
        latest.save(update_fields=["review_due_at", "next_review_due"])


def _refresh_one(case: Case, rules: escalation.Rules) -> None:
    from casework.services.cases import case_flags_refresh

    before = case.escalation_snapshots.order_by("-computed_at", "-id").values_list("level", flat=True).first()
    snapshot = escalation_refresh(case, rules)
    rose = snapshot is not None and before is not None and escalation.level_rose(before, snapshot.level)
    review_bring_forward(case, escalation_rose=rose)
    case_flags_refresh(case)  # repeat victim and suspect count reports in a window that moves


def escalation_refresh_case(case_id: int, *, related: bool = True) -> None:
    """After any change to a case: its escalation level, the review date a rise brings forward, the
    repeat flags; and the level of every other open case of the same suspect or victim, whose history
    this case is (without going further: their own changes refresh theirs)."""
    from risk import selectors

    case = Case.objects.filter(pk=case_id).first()
    if case is None:  # a task for a case since deleted does nothing
        return
    rules = selectors.current_rules()
    _refresh_one(case, rules)
    if related:
        for other in selectors.related_open_cases(case):
            _refresh_one(other, rules)


def escalation_nightly(now=None) -> int:
    """Beat, each night: time alone changes the level (a threat passes out of the last 12 months, a
    campaign reaches two years), so recompute every open case whose level could move; return how many."""
    from risk import selectors

    rules = selectors.current_rules()
    cases = list(selectors.cases_time_may_change(rules, now or timezone.now()))
    for case in cases:
        _refresh_one(case, rules)
    return len(cases)
