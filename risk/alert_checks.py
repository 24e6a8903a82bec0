"""Checks on risk: every victim assessed in time, high risk signed off, reviews kept, escalation met."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.alerts import Check
from casework.choices import AlertAudience, AlertKind, AlertSeverity, CaseStage, PartyRole, SupportService
from casework.models import Case, CaseParty, SupportReferral
from risk.choices import AssessmentStatus, EscalationLevel, Grade
from risk.models import EscalationSnapshot, RiskAssessment

DONE = [AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF]
RANK = {level: n for n, level in enumerate(EscalationLevel.values)}


def _open_cases(case_ids: Iterable[int] | None):
    cases = Case.objects.exclude(stage=CaseStage.FINALISED)
    return cases.filter(pk__in=case_ids) if case_ids is not None else cases


def assessment_missing(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """A victim in the case has no completed risk assessment the configured hours after the report —
    every stalking or harassment case, domestic or not (the inspection's interim recommendation)."""
    hours = settings.RISK_ASSESSMENT_DUE_HOURS
    assessed = RiskAssessment.objects.filter(
        case_id=OuterRef("case_id"), victim_id=OuterRef("person_id"), status__in=DONE
    )
    parties = (
        CaseParty.objects.filter(role=PartyRole.VICTIM, case__in=_open_cases(case_ids))
        .filter(case__created_at__lte=now - timedelta(hours=hours))
        .exclude(Exists(assessed))
        .values_list("case_id", "person_id", "case__created_at")
    )
    found: dict[int, dict] = {}
    for case_id, person_id, reported in parties:
        facts = found.setdefault(case_id, {"victims": [], "due_at": reported + timedelta(hours=hours)})
        facts["victims"].append(person_id)
    return found


def high_risk_not_signed_off(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    hours = settings.RISK_SIGN_OFF_HOURS
    waiting = RiskAssessment.objects.filter(
        case__in=_open_cases(case_ids),
        status=AssessmentStatus.COMPLETED,
        grade=Grade.HIGH,
        completed_at__lte=now - timedelta(hours=hours),
    ).values_list("case_id", "pk", "completed_at")
    found: dict[int, dict] = {}
    for case_id, assessment_id, completed_at in waiting:
        facts = found.setdefault(case_id, {"assessments": [], "due_at": completed_at + timedelta(hours=hours)})
        facts["assessments"].append(assessment_id)
    return found


def _latest_done(case_ref):
    return RiskAssessment.objects.filter(case_id=case_ref, status__in=DONE).order_by("-completed_at", "-id")


def review_overdue(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The latest assessment's review is due: from the start of the day set by grade, or at the moment a
    new incident or a rise in escalation brought it forward to (risk.services.review_bring_forward)."""
    latest = _latest_done(OuterRef("pk"))
    cases = (
        _open_cases(case_ids)
        .annotate(
            review_due=Subquery(latest.values("next_review_due")[:1]),
            review_due_at=Subquery(latest.values("review_due_at")[:1]),
        )
        .filter(
            Q(review_due_at__isnull=False, review_due_at__lte=now)
            | Q(review_due_at__isnull=True, review_due__lte=timezone.localdate(now))
        )
        .values_list("pk", "review_due", "review_due_at")
    )
    tz = timezone.get_current_timezone()
    return {pk: {"due_at": due_at or datetime.combine(due, datetime.min.time(), tz)} for pk, due, due_at in cases}


def escalation_rose(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The escalation level now is higher than it was when the victim was last assessed."""
    latest_level = EscalationSnapshot.objects.filter(case_id=OuterRef("pk")).order_by("-computed_at", "-id")
    cases = (
        _open_cases(case_ids)
        .annotate(
            level_now=Subquery(latest_level.values("level")[:1]),
            level_then=Subquery(_latest_done(OuterRef("pk")).values("escalation_level")[:1]),
        )
        .filter(level_now__isnull=False, level_then__isnull=False)
        .values_list("pk", "level_now", "level_then")
    )
    return {
        pk: {
            "from": then,
            "to": level,
            "severity": AlertSeverity.URGENT if level == "critical" else AlertSeverity.WARNING,
        }
        for pk, level, then in cases
        if RANK.get(level, 0) > RANK.get(then or "none", 0)
    }


def escalation_fell(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The escalation level fell and no risk assessment has been completed since: a drop is never
    silent. One alert however often the score moves afterwards (the drop is carried on the snapshots at
    the lower level); cleared by a completed review, or by the level rising again."""
    latest = EscalationSnapshot.objects.filter(case_id=OuterRef("pk")).order_by("-computed_at", "-id")
    cases = (
        _open_cases(case_ids)
        .annotate(
            fell_from=Subquery(latest.values("fell_from")[:1]),
            fell_at=Subquery(latest.values("fell_at")[:1]),
            level_now=Subquery(latest.values("level")[:1]),
            reviewed_at=Subquery(_latest_done(OuterRef("pk")).values("completed_at")[:1]),
        )
        .filter(fell_at__isnull=False)
        .filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=F("fell_at")))
        .values_list("pk", "fell_from", "level_now", "fell_at")
    )
    return {pk: {"from": before, "to": level, "due_at": fell_at} for pk, before, level, fell_at in cases}


def stalking_questions_missing(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """A completed assessment (imported, or from before the rule) whose DASH stalking question is yes
    but whose supplementary stalking questions are not all answered."""
    trigger_keys, supplementary_keys = _stalking_question_keys()
    candidates = RiskAssessment.objects.filter(case__in=_open_cases(case_ids), status__in=DONE)
    found: dict[int, dict] = {}
    for case_id, assessment_id, answers in candidates.values_list("case_id", "pk", "answers"):
        triggered = any((answers.get(k) or {}).get("answer") == "yes" for k in trigger_keys)
        missing = [k for k in supplementary_keys if not (answers.get(k) or {}).get("answer")]
        if triggered and missing:
            found.setdefault(case_id, {"assessments": []})["assessments"].append(assessment_id)
    return found


def _stalking_question_keys() -> tuple[set[str], list[str]]:
    from risk.questionnaires import TRIGGER_STALKING_SUPPLEMENTARY, builtin_forms_by_kind

    forms = builtin_forms_by_kind()
    triggers = {q.key for q in forms["dash"].questions_triggering(TRIGGER_STALKING_SUPPLEMENTARY)}
    return triggers, [q.key for q in forms["stalking_supplementary"].questions]


def marac_referral_missing(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The latest assessment met a MARAC criterion and no MARAC referral of that victim is recorded since it
    was completed (SafeLives criteria, domain.md §1.3), the configured days after."""
    days = timedelta(days=settings.MARAC_REFERRAL_DUE_DAYS)
    referred = SupportReferral.objects.filter(
        case_id=OuterRef("case_id"),
        victim_id=OuterRef("victim_id"),
        service=SupportService.MARAC,
        referred_on__gte=OuterRef("completed_on"),
    )
    rows = (
        RiskAssessment.objects.filter(case__in=_open_cases(case_ids), status__in=DONE, marac_referral_required=True)
        .annotate(completed_on=TruncDate("completed_at"))
        .filter(pk=Subquery(_latest_done(OuterRef("case_id")).values("pk")[:1]))
        .filter(completed_at__lte=now - days)
        .exclude(Exists(referred))
        .values_list("case_id", "pk", "completed_at")
    )
    return {case_id: {"assessments": [pk], "due_at": completed_at + days} for case_id, pk, completed_at in rows}


CHECKS = [
    Check(AlertKind.RISK_ASSESSMENT_MISSING, AlertSeverity.URGENT, AlertAudience.OIC, assessment_missing),
    Check(AlertKind.HIGH_RISK_NOT_SIGNED_OFF, AlertSeverity.URGENT, AlertAudience.SUPERVISOR, high_risk_not_signed_off),
    Check(AlertKind.RISK_REVIEW_OVERDUE, AlertSeverity.WARNING, AlertAudience.OIC, review_overdue),
    Check(AlertKind.ESCALATION_ROSE, AlertSeverity.WARNING, AlertAudience.OIC, escalation_rose),
    Check(AlertKind.ESCALATION_FELL, AlertSeverity.WARNING, AlertAudience.OIC, escalation_fell),
    Check(AlertKind.STALKING_QUESTIONS_MISSING, AlertSeverity.URGENT, AlertAudience.OIC, stalking_questions_missing),
    Check(AlertKind.MARAC_REFERRAL_MISSING, AlertSeverity.URGENT, AlertAudience.OIC, marac_referral_missing),
]
