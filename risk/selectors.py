"""Reads for risk: the facts the escalation detector needs, the trajectory, the latest level."""

from datetime import datetime, time

from django.utils import timezone

from casework.models import Case, Incident
from risk import escalation, questionnaires
from risk.choices import AssessmentStatus
from risk.models import EscalationSnapshot, RiskAssessment

DONE = [AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF]


def _fear_answers(assessment: RiskAssessment) -> int:
    impact_keys = {
        q.key
        for form in assessment.forms.all()
        for q in questionnaires.parse_form(form.definition).questions
        if q.victim_impact
    }
    return sum(1 for key, value in assessment.answers.items() if key in impact_keys and value.get("answer") == "yes")


def escalation_facts(case: Case) -> escalation.TimelineFacts:
    tz = timezone.get_current_timezone()
    incidents = tuple(escalation.IncidentFacts.from_incident(i) for i in Incident.objects.filter(case=case))
    from orders.selectors import arrest_dates, escalation_breaches

    warnings = tuple(datetime.combine(n.issued_on, time.min, tz) for n in case.legacy_notices.all()) + tuple(
        arrest_dates(case)
    )
    breaches = tuple(
        escalation.BreachFacts(id=pk, occurred_at=at, order_kind=kind) for pk, at, kind in escalation_breaches(case)
    )
    assessments = tuple(
        escalation.AssessmentFacts(
            completed_at=a.completed_at, yes_count=a.yes_count or 0, grade=a.grade, fear_answers=_fear_answers(a)
        )
        for a in case.risk_assessments.filter(status__in=DONE).prefetch_related("forms")
    )
    return escalation.TimelineFacts(
        incidents=incidents,
        breaches=breaches,
        warnings_or_arrests=warnings,
        assessments=assessments,
        now=timezone.now(),
    )


def latest_escalation(case: Case) -> EscalationSnapshot | None:
    return case.escalation_snapshots.order_by("-computed_at", "-id").first()


def risk_trajectory(case: Case) -> list[RiskAssessment]:
    """Every completed assessment of the case, oldest first: grade and score over time."""
    return list(case.risk_assessments.filter(status__in=DONE).select_related("victim").order_by("completed_at", "id"))


NOT_ASSESSED = "none"


def with_latest_risk(cases):
    """Cases annotated with their latest completed grade and their latest escalation level."""
    from django.db.models import OuterRef, Subquery

    latest_grade = RiskAssessment.objects.filter(case_id=OuterRef("pk"), status__in=DONE).order_by(
        "-completed_at", "-id"
    )
    latest_level = EscalationSnapshot.objects.filter(case_id=OuterRef("pk")).order_by("-computed_at", "-id")
    return cases.annotate(
        risk_grade=Subquery(latest_grade.values("grade")[:1]),
        escalation_level=Subquery(latest_level.values("level")[:1]),
    )
