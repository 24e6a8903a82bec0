from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import alerts
from casework.alert_checks import CHECKS
from casework.choices import AlertKind
from casework.models import Alert

LONDON = ZoneInfo("Europe/London")
CHECK = {check.kind: check for check in CHECKS}


def _open(kind):
    return list(Alert.objects.filter(kind=kind, resolved_at__isnull=True))


@pytest.fixture
def victim(officer, case):
    from casework.services.people import party_add, person_create

    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


def test_an_uncontacted_victim_raises_an_alert_after_24_hours_once_and_it_resolves_on_contact(officer, case, victim):
    from casework.services.contacts import victim_contact_record

    check = CHECK[AlertKind.VICTIM_NEVER_CONTACTED]
    start = timezone.now()
    alerts.sweep(check, now=start + timedelta(hours=23))
    assert _open(check.kind) == []
    alerts.sweep(check, now=start + timedelta(hours=25))
    alerts.sweep(check, now=start + timedelta(hours=26))
    (alert,) = _open(check.kind)
    assert alert.case == case and alert.facts == {"victims": [victim.pk]} and alert.audience == "oic"
    victim_contact_record(
        actor=officer, case=case, victim_id=victim.pk, contacted_at=timezone.now(), method="phone", summary="Spoke"
    )
    result = alerts.sweep(check, now=start + timedelta(hours=27))
    assert result.resolved == 1 and _open(check.kind) == []


def test_a_victims_code_update_is_overdue_the_working_day_after_it_was_due(officer, case, victim):
    from casework.services.contacts import victim_contact_record

    check = CHECK[AlertKind.VICTIM_UPDATE_OVERDUE]
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON), tick=False):  # a Friday
        contact = victim_contact_record(
            actor=officer, case=case, victim_id=victim.pk, contacted_at=timezone.now(), method="phone", summary="x"
        )
    assert contact.next_update_due == date(2026, 11, 27)  # 5 working days
    alerts.sweep(check, now=datetime(2026, 11, 27, 18, 0, tzinfo=LONDON))
    assert _open(check.kind) == []
    alerts.sweep(check, now=datetime(2026, 11, 28, 9, 0, tzinfo=LONDON))
    (alert,) = _open(check.kind)
    assert alert.due_at == datetime(2026, 11, 27, tzinfo=LONDON)


def test_evidence_deadlines_warn_then_become_urgent_and_clear_when_done(officer, case):
    from casework.services.evidence import evidence_task_complete, evidence_task_create

    check = CHECK[AlertKind.EVIDENCE_DEADLINE]
    today = timezone.localdate()
    task = evidence_task_create(
        actor=officer, case=case, description="CCTV from Tesco", due_on=today + timedelta(days=10)
    )
    alerts.sweep(check, now=timezone.now())
    assert _open(check.kind) == []
    alerts.sweep(check, now=timezone.now() + timedelta(days=8))
    (alert,) = _open(check.kind)
    assert alert.severity == "warning" and alert.facts == {"tasks": [task.pk]}
    evidence_task_complete(actor=officer, task=task)
    alerts.sweep(check, now=timezone.now() + timedelta(days=8))
    assert _open(check.kind) == []


def test_an_overdue_evidence_task_is_urgent(officer, case):
    from casework.models import EvidenceTask

    EvidenceTask.objects.create(
        case=case, description="CCTV", due_on=timezone.localdate() - timedelta(days=1), created_by=officer
    )
    alerts.sweep(CHECK[AlertKind.EVIDENCE_DEADLINE])
    assert _open(AlertKind.EVIDENCE_DEADLINE)[0].severity == "urgent"


def test_the_database_allows_one_open_alert_per_case_and_kind(case):
    from django.db import IntegrityError, transaction

    Alert.objects.create(
        case=case, kind="evidence_deadline", severity="warning", audience="oic", raised_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            case=case, kind="evidence_deadline", severity="warning", audience="oic", raised_at=timezone.now()
        )


def test_a_sweep_concurrent_with_another_does_not_duplicate(officer, case):
    """Simulate the other sweep committing between our read of open alerts and our insert."""
    from casework.models import EvidenceTask

    EvidenceTask.objects.create(case=case, description="CCTV", due_on=timezone.localdate(), created_by=officer)
    check = CHECK[AlertKind.EVIDENCE_DEADLINE]

    def find_and_race(now, case_ids):
        found = check.find(now, case_ids)
        Alert.objects.get_or_create(
            case=case,
            kind=check.kind,
            resolved_at=None,
            defaults={"severity": "warning", "audience": "oic", "raised_at": now},
        )
        return found

    racing = alerts.Check(check.kind, check.severity, check.audience, find_and_race)
    alerts.sweep(racing)
    assert Alert.objects.filter(kind=check.kind).count() == 1


def test_sweep_query_count_does_not_grow_with_the_number_of_cases(officer):
    from casework.models import EvidenceTask
    from casework.tests.factories import CaseFactory

    def tasks_for(n):
        cases = [CaseFactory(unit=officer.unit, officer=officer) for _ in range(n)]
        EvidenceTask.objects.bulk_create(
            EvidenceTask(case=c, description="CCTV", due_on=timezone.localdate(), created_by=officer) for c in cases
        )

    def queries():
        Alert.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            alerts.sweep_all()
        return len(captured)

    tasks_for(3)
    small = queries()
    tasks_for(60)
    assert queries() == small
    assert Alert.objects.filter(kind=AlertKind.EVIDENCE_DEADLINE).count() == 63


def test_acknowledging_and_snoozing_need_a_reason_and_are_audited(officer, stranger, case):
    from accounts.models import AuditEntry
    from casework.services.alerts import alert_acknowledge, alert_snooze
    from config.errors import InvalidInput

    alert = Alert.objects.create(
        case=case, kind="evidence_deadline", severity="warning", audience="oic", raised_at=timezone.now()
    )
    with pytest.raises(InvalidInput):
        alert_acknowledge(actor=officer, alert=alert, reason=" ")
    with pytest.raises(InvalidInput):
        alert_acknowledge(actor=stranger, alert=alert, reason="not mine")
    alert_acknowledge(actor=officer, alert=alert, reason="Requested footage today")
    assert AuditEntry.objects.filter(object_type="casework.alert", action="alter").exists()
    with pytest.raises(InvalidInput, match="at most 14 days"):
        alert_snooze(actor=officer, alert=alert, until=timezone.now() + timedelta(days=30), reason="x")
    alert_snooze(actor=officer, alert=alert, until=timezone.now() + timedelta(days=2), reason="Shop manager away")
    assert not alerts.visible_alerts(Alert.objects.all(), timezone.now()).exists()
    assert alerts.visible_alerts(Alert.objects.all(), timezone.now() + timedelta(days=3)).exists()


def test_an_open_alert_becomes_urgent_when_its_deadline_passes(officer, case):
    from casework.models import EvidenceTask

    EvidenceTask.objects.create(
        case=case, description="CCTV", due_on=timezone.localdate() + timedelta(days=1), created_by=officer
    )
    check = CHECK[AlertKind.EVIDENCE_DEADLINE]
    alerts.sweep(check)
    assert _open(check.kind)[0].severity == "warning"
    alerts.sweep(check, now=timezone.now() + timedelta(days=3))
    (alert,) = _open(check.kind)
    assert alert.severity == "urgent"
