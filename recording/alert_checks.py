"""Checks on recording: a course of conduct must be recorded as a crime."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery

from casework.alerts import Check
from casework.choices import AlertAudience, AlertKind, AlertSeverity, CaseStage
from casework.models import Case, Incident
from recording.models import CrimeRecord
from recording.selectors import queue_entries


def course_of_conduct_not_recorded(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """Two or more occasions were logged (PHA s.7) more than the configured hours ago and no crime
    has been recorded. The clock starts when the second incident was logged."""
    second_logged = (
        Incident.objects.filter(case_id=OuterRef("pk")).order_by("created_at", "id").values("created_at")[1:2]
    )
    cases = (
        Case.objects.exclude(stage=CaseStage.FINALISED)
        .exclude(Exists(CrimeRecord.objects.filter(case_id=OuterRef("pk"))))
        .annotate(established_at=Subquery(second_logged))
        .filter(established_at__lte=now - timedelta(hours=settings.CRIME_RECORD_DUE_HOURS))
    )
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    return {
        case_id: {"due_at": established_at + timedelta(hours=settings.CRIME_RECORD_DUE_HOURS)}
        for case_id, established_at in cases.values_list("pk", "established_at")
    }


def stalking_recorded_as_harassment(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """A principal harassment or malicious-communications record whose incidents point to stalking
    (the registrar's audit queue): the alert carries the strength of the indication."""
    cases = Case.objects.exclude(stage=CaseStage.FINALISED)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    return {
        entry.case.pk: {"crime_number": entry.record.crime_number, "strength": entry.strength}
        for entry in queue_entries(cases)
    }


CHECKS = [
    Check(AlertKind.NO_CRIME_RECORD, AlertSeverity.WARNING, AlertAudience.OIC, course_of_conduct_not_recorded),
    Check(
        AlertKind.STALKING_RECORDED_AS_HARASSMENT,
        AlertSeverity.WARNING,
        AlertAudience.REGISTRAR,
        stalking_recorded_as_harassment,
    ),
]
