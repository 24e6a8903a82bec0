from datetime import timedelta

import time_machine
from django.utils import timezone

from casework import alerts
from casework.models import Alert
from casework.tests.factories import IncidentFactory
from recording.alert_checks import CHECKS
from recording.models import CrimeRecord

CHECK = CHECKS[0]


def _open():
    return list(Alert.objects.filter(kind=CHECK.kind, resolved_at__isnull=True))


def test_a_course_of_conduct_unrecorded_after_24_hours_raises_one_alert_that_recording_resolves(officer, case):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        IncidentFactory(case=case)
    alerts.sweep(CHECK, now=start + timedelta(days=3))
    assert _open() == []  # one occasion is not a course of conduct
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        IncidentFactory(case=case)
    alerts.sweep(CHECK, now=start + timedelta(hours=24, minutes=59))
    assert _open() == []
    alerts.sweep(CHECK, now=start + timedelta(hours=25, minutes=1))
    alerts.sweep(CHECK, now=start + timedelta(hours=26))
    (alert,) = _open()
    assert alert.case == case and alert.due_at == start + timedelta(hours=25)
    CrimeRecord.objects.create(
        case=case,
        crime_number="X/1",
        classification="8Q",
        offence="pha_1997_s2a",
        rationale="Course of conduct of following and messaging",
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    alerts.sweep(CHECK, now=start + timedelta(hours=27))
    assert _open() == []
